/**
 * The Ditto side: twin changes in over the WebSocket, predictions and hand-over snapshots out.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.analytics.ditto;

import org.jspecify.annotations.NullMarked;
