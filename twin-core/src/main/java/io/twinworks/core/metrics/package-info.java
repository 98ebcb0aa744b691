/**
 * Prometheus scraping of a service's Micrometer registry.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.metrics;

import org.jspecify.annotations.NullMarked;
