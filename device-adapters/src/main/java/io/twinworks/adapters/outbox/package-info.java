/**
 * The durable outbox: readings survive restarts and outages until Hono acknowledged them.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.outbox;

import org.jspecify.annotations.NullMarked;
