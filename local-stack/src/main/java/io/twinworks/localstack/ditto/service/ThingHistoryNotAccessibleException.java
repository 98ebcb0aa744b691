package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.things.model.ThingId;

import java.time.Instant;

/**
 * A historical read ({@code at-historical-revision} / {@code at-historical-timestamp}) of a thing whose state at that
 * point is not recorded: never existed then, no longer kept, or in the future. 404 with Ditto 3.2+'s error code
 * {@value #ERROR_CODE}, message and description, as Ditto's exception of the same name answers (Ditto 2.4, whose
 * model this stack runs on, has no history API, hence this class).
 */
public final class ThingHistoryNotAccessibleException extends DittoRuntimeException {

    /** Ditto's error code. */
    public static final String ERROR_CODE = "things:thing.history.notfound";

    private static final String DESCRIPTION = "Check if the ID of your requested Thing was correct, you have sufficient"
            + " permissions and ensure that the asked for revision/timestamp does not exceed the"
            + " history-retention-duration.";
    private static final long serialVersionUID = 1L;

    private ThingHistoryNotAccessibleException(String message, DittoHeaders headers) {
        super(ERROR_CODE, HttpStatus.NOT_FOUND, headers, message, DESCRIPTION, null, null);
    }

    /** The thing's state at {@code revision} is not available. */
    public static ThingHistoryNotAccessibleException atRevision(ThingId thingId, long revision, DittoHeaders headers) {
        return new ThingHistoryNotAccessibleException("The Thing with ID '" + thingId + "' at revision '" + revision
                + "' could not be found or requester had insufficient permissions to access it.", headers);
    }

    /** The thing's state at {@code timestamp} is not available. */
    public static ThingHistoryNotAccessibleException atTimestamp(ThingId thingId, Instant timestamp,
                                                                 DittoHeaders headers) {
        return new ThingHistoryNotAccessibleException("The Thing with ID '" + thingId + "' at timestamp '" + timestamp
                + "' could not be found or requester had insufficient permissions to access it.", headers);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new ThingHistoryNotAccessibleException(getMessage(), headers);
    }
}
