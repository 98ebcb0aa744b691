/**
 * Remaining-useful-life estimation with the trained model, batched, and the watcher that reloads it.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.rul;

import org.jspecify.annotations.NullMarked;
