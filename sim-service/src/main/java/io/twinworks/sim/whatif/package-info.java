/**
 * What-if scenarios run forward from a twin's state.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim.whatif;

import org.jspecify.annotations.NullMarked;
