/**
 * Ditto contract pieces shared by the services and devices: the merge command, the client set-up.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.ditto;

import org.jspecify.annotations.NullMarked;
