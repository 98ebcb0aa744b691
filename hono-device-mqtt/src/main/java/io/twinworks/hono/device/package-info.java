/**
 * The device side of Hono's MQTT adapter: login and connect options.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.hono.device;

import org.jspecify.annotations.NullMarked;
