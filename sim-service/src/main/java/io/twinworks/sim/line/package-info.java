/**
 * The production-line model: stations with failures and repairs, buffers, throughput.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim.line;

import org.jspecify.annotations.NullMarked;
