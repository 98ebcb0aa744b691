/**
 * The adapter's entry point: builds the object graph from the configuration, nothing else.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.app;

import org.jspecify.annotations.NullMarked;
