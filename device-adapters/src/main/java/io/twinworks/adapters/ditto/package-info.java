/**
 * Encodes readings as Ditto Protocol merge commands, the payload Hono forwards to Ditto.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.ditto;

import org.jspecify.annotations.NullMarked;
