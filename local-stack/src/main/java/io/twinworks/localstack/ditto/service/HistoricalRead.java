package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.exceptions.DittoHeaderInvalidException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.things.model.ThingId;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;

/**
 * Which past state a retrieve command asks for, from Ditto 3.2+'s headers {@value #AT_REVISION} (a revision) and
 * {@value #AT_TIMESTAMP} (an ISO-8601 time with offset). Both at once narrow each other, as in Ditto: the newest
 * state up to that revision modified strictly before that time.
 *
 * @param revision  the revision, or {@code null}
 * @param timestamp the exclusive time bound, or {@code null} (one of the two is set)
 */
public record HistoricalRead(Long revision, Instant timestamp) {

    /** Ditto's header naming a revision to read. */
    public static final String AT_REVISION = "at-historical-revision";
    /** Ditto's header naming a time to read at. */
    public static final String AT_TIMESTAMP = "at-historical-timestamp";
    /** Both headers, e.g. for an entry point that copies them into a command's headers. */
    public static final List<String> HEADERS = List.of(AT_REVISION, AT_TIMESTAMP);

    public HistoricalRead {
        if (revision == null && timestamp == null) {
            throw new IllegalArgumentException("a revision or a timestamp is needed");
        }
    }

    /**
     * The historical read the headers ask for, or empty when they name none.
     *
     * @throws DittoHeaderInvalidException (400 {@code headers:header.invalid}, as Ditto) when a value is malformed
     */
    public static Optional<HistoricalRead> of(DittoHeaders headers) {
        String revisionText = headers.get(AT_REVISION);
        String timestampText = headers.get(AT_TIMESTAMP);
        if (revisionText == null && timestampText == null) {
            return Optional.empty();
        }
        Long revision = null;
        if (revisionText != null) {
            try {
                revision = Long.parseLong(revisionText.trim());
            } catch (NumberFormatException e) {
                throw DittoHeaderInvalidException.newInvalidTypeBuilder(AT_REVISION, revisionText, "long")
                        .dittoHeaders(headers).build();
            }
        }
        Instant timestamp = null;
        if (timestampText != null) {
            try {
                timestamp = OffsetDateTime.parse(timestampText.trim()).toInstant();
            } catch (DateTimeParseException e) {
                throw DittoHeaderInvalidException.newInvalidTypeBuilder(AT_TIMESTAMP, timestampText,
                                "ISO-8601 timestamp with offset (e.g. 2024-05-01T12:00:00Z)")
                        .dittoHeaders(headers).build();
            }
        }
        return Optional.of(new HistoricalRead(revision, timestamp));
    }

    /** Ditto's 404 for this point of the thing's history (the timestamp is named when one was asked for). */
    ThingHistoryNotAccessibleException notAccessible(ThingId thingId, DittoHeaders headers) {
        return timestamp != null
                ? ThingHistoryNotAccessibleException.atTimestamp(thingId, timestamp, headers)
                : ThingHistoryNotAccessibleException.atRevision(thingId, revision, headers);
    }
}
