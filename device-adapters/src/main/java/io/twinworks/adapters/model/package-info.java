/**
 * The adapter's immutable values: a reading of one device and the thing IDs it maps to.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.model;

import org.jspecify.annotations.NullMarked;
