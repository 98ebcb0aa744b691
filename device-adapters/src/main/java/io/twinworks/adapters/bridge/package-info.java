/**
 * The plant-broker bridge: topics of a plant MQTT broker mapped onto devices and forwarded.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.bridge;

import org.jspecify.annotations.NullMarked;
