/**
 * Offline scoring and evaluation of CSV series (NAB layout, injected anomalies).
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.offline;

import org.jspecify.annotations.NullMarked;
