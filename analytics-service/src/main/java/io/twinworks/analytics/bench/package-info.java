/**
 * The analytics benchmark: detector throughput, heap per asset, batched RUL inference.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.bench;

import org.jspecify.annotations.NullMarked;
