/**
 * Line codecs: a serial device's text frame (CSV, key=value, JSON) becomes a reading, or a clear frame error.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.codec;

import org.jspecify.annotations.NullMarked;
