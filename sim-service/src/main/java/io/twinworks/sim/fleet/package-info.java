/**
 * The virtual fleet: simulated pumps and replayed engines publishing to Hono as devices.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim.fleet;

import org.jspecify.annotations.NullMarked;
