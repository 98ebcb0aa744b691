/**
 * The dashboard server: its configuration, static pages, Thing Models and the proxy to Ditto's API.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.dashboard;

import org.jspecify.annotations.NullMarked;
