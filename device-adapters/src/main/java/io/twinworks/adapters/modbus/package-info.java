/**
 * Modbus RTU polling: registers of a serial Modbus device become readings.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.modbus;

import org.jspecify.annotations.NullMarked;
