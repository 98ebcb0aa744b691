/**
 * Retry policies shared by every reconnect and retry loop.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.retry;

import org.jspecify.annotations.NullMarked;
