/**
 * The scale-out transport: twin events from a Ditto connection's Kafka target, read by a consumer group.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.kafka;

import org.jspecify.annotations.NullMarked;
