/**
 * The operations server every service runs: liveness, readiness from registered health checks, metrics.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.core.ops;

import org.jspecify.annotations.NullMarked;
