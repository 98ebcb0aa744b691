/**
 * Physics models of the simulated assets (pump, motor, turbofan) and their faults.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim.model;

import org.jspecify.annotations.NullMarked;
