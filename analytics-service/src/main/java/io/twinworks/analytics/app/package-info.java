/**
 * The analytics service's entry point.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.app;

import org.jspecify.annotations.NullMarked;
