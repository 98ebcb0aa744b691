/**
 * The device adapter: serial, Modbus RTU and plant-broker sources forwarded to Hono's MQTT adapter through a durable outbox.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters;

import org.jspecify.annotations.NullMarked;
