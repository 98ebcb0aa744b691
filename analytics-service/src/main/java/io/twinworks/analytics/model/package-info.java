/**
 * The values the service works with: readings, baselines, health states, predictions, snapshots.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.model;

import org.jspecify.annotations.NullMarked;
