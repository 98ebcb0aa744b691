/**
 * The error answers of the HTTP APIs: their shape and the level they are logged at.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.http;

import org.jspecify.annotations.NullMarked;
