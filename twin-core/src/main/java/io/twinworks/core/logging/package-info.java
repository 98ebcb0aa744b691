/**
 * Logging shared by the services: rate-limited refusal logs.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.logging;

import org.jspecify.annotations.NullMarked;
