/**
 * The simulation service: its configuration and lifecycle.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.sim;

import org.jspecify.annotations.NullMarked;
