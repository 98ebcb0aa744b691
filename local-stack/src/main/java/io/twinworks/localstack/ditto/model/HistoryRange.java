package io.twinworks.localstack.ditto.model;

import java.time.Instant;

/**
 * Which recorded states of a thing a historical stream asks for, as Ditto 3.2+'s SSE parameters give
 * them ({@code from-historical-revision}, {@code to-historical-revision}, {@code from-historical-timestamp},
 * {@code to-historical-timestamp}). Revisions may be negative: relative to the current revision, as in Ditto;
 * a {@code to} revision of 0 (or none) means the current one.
 *
 * @param fromRevision  first revision, or {@code null} when the range is by timestamp only
 * @param toRevision    last revision, or {@code null} for the current one
 * @param fromTimestamp earliest modification time, or {@code null}
 * @param toTimestamp   latest modification time, or {@code null}
 */
public record HistoryRange(Long fromRevision, Long toRevision, Instant fromTimestamp, Instant toTimestamp) {

    /** The first absolute revision for a thing now at {@code currentRevision}. */
    public long firstRevision(long currentRevision) {
        if (fromRevision == null) {
            return 0;
        }
        return fromRevision < 0 ? Math.max(0, currentRevision + fromRevision) : fromRevision;
    }

    /** The last absolute revision for a thing now at {@code currentRevision}. */
    public long lastRevision(long currentRevision) {
        if (toRevision == null || toRevision == 0) {
            return currentRevision;
        }
        return toRevision < 0 ? Math.max(0, currentRevision + toRevision) : Math.min(toRevision, currentRevision);
    }
}
