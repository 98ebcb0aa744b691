/**
 * The what-if messages answered through Ditto.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim.ditto;

import org.jspecify.annotations.NullMarked;
