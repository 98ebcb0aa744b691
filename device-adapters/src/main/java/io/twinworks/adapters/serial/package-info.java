/**
 * Serial ports (jSerialComm): line reading, reconnection and commands written back to the device.
 *
 * <p>Nothing here is {@code null} unless marked {@link org.jspecify.annotations.Nullable}.
 */
@NullMarked
package io.twinworks.adapters.serial;

import org.jspecify.annotations.NullMarked;
