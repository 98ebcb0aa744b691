/**
 * The one Kafka consumer loop of the services ({@link io.twinworks.core.kafka.KafkaConsumerLoop}).
 * Needs {@code kafka-clients}, an optional dependency of twin-core: modules using this package declare it.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.kafka;

import org.jspecify.annotations.NullMarked;
