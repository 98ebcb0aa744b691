/**
 * The Hono side: the device connection (MQTT 3.1.1/5), the outbox forwarder and the commands Hono delivers.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.hono;

import org.jspecify.annotations.NullMarked;
