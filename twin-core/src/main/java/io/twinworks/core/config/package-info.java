/**
 * Configuration from environment variables into immutable records, validated at start-up.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.config;

import org.jspecify.annotations.NullMarked;
