/**
 * A discrete-event simulation kernel: processes, resources, stores, and its queueing checks.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim.des;

import org.jspecify.annotations.NullMarked;
