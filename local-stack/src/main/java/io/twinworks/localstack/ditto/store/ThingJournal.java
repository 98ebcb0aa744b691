package io.twinworks.localstack.ditto.store;

import io.twinworks.localstack.ditto.model.FeatureHistoryEntry;
import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonMergePatch;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The journal of the {@link TwinStore}'s things, as Ditto keeps one (events plus snapshots): table
 * {@code thing_history}, one row per thing revision. A row is either the thing's whole state after that revision
 * (a <em>snapshot</em>, or a tombstone for its deletion) or the merge patch that revision applied ({@code merge_path}
 * set, {@code json} the patch): a device's reading is a merge of a few hundred bytes into a thing of several
 * kilobytes, and writing the whole thing twice per reading (its row in {@code things} and here) made the bytes
 * written, not the work, the limit of the ingest path.
 *
 * <p>Every revision that is a multiple of {@value #SNAPSHOT_INTERVAL}, and every change that is not a merge, is
 * a snapshot; the {@code things} row is rewritten only with a snapshot, so it holds the thing as of its newest
 * snapshot and the merges after it (at most {@value #SNAPSHOT_INTERVAL} − 1) are replayed onto it when the thing is
 * read from disk ({@link #replayMergesAfter}). A replayed merge is Ditto's own {@code JsonMergePatch.applyOn}, whose
 * result the twin service's apply reproduces exactly.
 *
 * <p>Historical reads (Ditto 3.2+'s {@code at-historical-revision} / {@code -timestamp}) and the history stream
 * ({@link #featureChanges}) answer the newest {@code depth} revisions of a thing: a state is rebuilt from the newest
 * snapshot at or below it. Old rows are
 * dropped when a snapshot is written, down to the snapshot the oldest answerable revision needs, so the table holds
 * at most {@code depth} + {@value #SNAPSHOT_INTERVAL} + 1 rows per thing (with depth 0: the merges since the newest
 * snapshot, which the current state needs).
 *
 * <p>Not thread-safe: the {@link TwinStore} calls it under its own lock, on its connection.
 */
final class ThingJournal {

    /**
     * Every this many revisions a thing is written whole (Ditto snapshots every 500 events by default; a smaller
     * interval keeps a read from disk to a few dozen merges at the price of one whole thing per interval).
     */
    static final int SNAPSHOT_INTERVAL = 64;

    private static final String INSERT = "INSERT OR REPLACE INTO thing_history"
            + " (thing_id, revision, json, created, modified, deleted, merge_path) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String PRUNE = "DELETE FROM thing_history WHERE thing_id = ? AND revision < ?";
    private static final String SELECT_RUN = "SELECT revision, json, created, modified, deleted, merge_path"
            + " FROM thing_history WHERE thing_id = ? AND revision > ? AND revision <= ? ORDER BY revision";

    private final Connection connection;
    private final int depth;
    private PreparedStatement insert;
    private PreparedStatement prune;

    private ThingJournal(Connection connection, int depth) {
        this.connection = connection;
        this.depth = depth;
    }

    /**
     * Creates the table if needed (adding the merge column to a table of an older version, whose rows are all
     * snapshots).
     *
     * @param depth how many revisions per thing historical reads answer (oldest dropped first); 0 answers none
     */
    static ThingJournal create(Connection connection, int depth) throws SQLException {
        if (depth < 0) {
            throw new IllegalArgumentException("thing history depth must be >= 0");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS thing_history (thing_id TEXT NOT NULL,"
                    + " revision INTEGER NOT NULL, json TEXT NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL,"
                    + " deleted INTEGER NOT NULL, merge_path TEXT, PRIMARY KEY (thing_id, revision))");
            boolean hasMergePath = false;
            try (ResultSet column = statement.executeQuery("PRAGMA table_info(thing_history)")) {
                while (column.next()) {
                    hasMergePath |= "merge_path".equals(column.getString("name"));
                }
            }
            if (!hasMergePath) {
                statement.execute("ALTER TABLE thing_history ADD COLUMN merge_path TEXT");
            }
        }
        return new ThingJournal(connection, depth);
    }

    /** Whether the change to {@code revision} is written whole even when it is a merge. */
    static boolean isSnapshotRevision(long revision) {
        return revision % SNAPSHOT_INTERVAL == 0;
    }

    /**
     * Records the thing's whole state as of its revision (into the caller's open transaction) and drops the rows no
     * answerable revision and no replay needs any more.
     *
     * @param created  the text of the thing's creation time ({@link Instant#toString()}), as its row stores it
     * @param modified the text of its modification time
     */
    void appendSnapshot(StoredThing thing, String created, String modified) throws SQLException {
        // a tombstone only needs to say "gone at this revision"
        write(thing, thing.deleted() ? "{}" : thing.json().toString(), null, created, modified);
        // the state before the oldest answerable revision (what that revision changed is told against it) needs the
        // newest snapshot at or below it; every multiple of the interval is one. Without history, the things row
        // (written with this snapshot) is all the state needs.
        long keepFrom = depth == 0 ? thing.revision()
                : Math.floorDiv(thing.revision() - depth, SNAPSHOT_INTERVAL) * SNAPSHOT_INTERVAL;
        if (keepFrom > 1) {
            prune.setString(1, thing.thingId().toString());
            prune.setLong(2, keepFrom);
            prune.executeUpdate();
        }
    }

    /**
     * Records the merge patch that made the thing's revision (into the caller's open transaction).
     *
     * @param path  where the patch was merged
     * @param patch the merge patch, as the command carried it
     */
    void appendMerge(StoredThing thing, JsonPointer path, JsonValue patch, String created, String modified)
            throws SQLException {
        write(thing, patch.toString(), path.toString(), created, modified);
    }

    private void write(StoredThing thing, String json, String mergePath, String created, String modified)
            throws SQLException {
        if (insert == null) {
            insert = connection.prepareStatement(INSERT);
            prune = connection.prepareStatement(PRUNE);
        }
        insert.setString(1, thing.thingId().toString());
        insert.setLong(2, thing.revision());
        insert.setString(3, json);
        insert.setString(4, created);
        insert.setString(5, modified);
        insert.setInt(6, thing.deleted() ? 1 : 0);
        insert.setString(7, mergePath);
        insert.executeUpdate();
    }

    /**
     * The thing after the merges recorded after its snapshot (its {@code things} row), in revision order.
     *
     * @throws TwinStoreException when the recorded revisions do not follow the snapshot without a gap, or a
     *                            snapshot follows it (the table was not written by this journal)
     */
    StoredThing replayMergesAfter(StoredThing snapshot) throws SQLException {
        return replay(snapshot, snapshot.revision(), Long.MAX_VALUE, Step.NONE);
    }

    /** What a replay tells of each row it applies: the state before the row and the state after it. */
    @FunctionalInterface
    private interface Step {
        Step NONE = (before, after) -> { };

        void accept(StoredThing before, StoredThing after);
    }

    /**
     * The one replay of the journal: the rows of {@code start}'s thing with a revision in {@code (after, upTo]}, in
     * order, each applied to the state before it ({@link #nextState}), beginning with {@code start}.
     *
     * @return the state after the last row ({@code start} when there is none)
     */
    private StoredThing replay(StoredThing start, long after, long upTo, Step step) throws SQLException {
        StoredThing state = start;
        try (PreparedStatement select = connection.prepareStatement(SELECT_RUN)) {
            select.setString(1, start.thingId().toString());
            select.setLong(2, after);
            select.setLong(3, upTo);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    StoredThing next = nextState(state, row);
                    step.accept(state, next);
                    state = next;
                }
            }
        }
        return state;
    }

    /** What precedes a replay from a snapshot row: nothing (a merge onto it is refused as a gap). */
    private static StoredThing nothingBefore(ThingId thingId) {
        return new StoredThing(thingId, JsonObject.empty(), 0, Instant.EPOCH, Instant.EPOCH, true);
    }

    /** The oldest revision historical reads answer for a thing now at {@code currentRevision}. */
    private long oldestAnswerable(long currentRevision) {
        return Math.max(1, currentRevision - depth + 1);
    }

    /**
     * The state one journal row makes of the state before it: the row's merge applied, or — for a snapshot — the
     * row itself.
     */
    private static StoredThing nextState(StoredThing before, ResultSet row) throws SQLException {
        long revision = row.getLong(1);
        String mergePath = row.getString(6);
        Instant modified = Instant.parse(row.getString(4));
        if (mergePath == null) {
            return new StoredThing(before.thingId(), JsonFactory.newObject(row.getString(2)), revision,
                    Instant.parse(row.getString(3)), modified, row.getInt(5) != 0);
        }
        if (revision != before.revision() + 1 || before.deleted()) {
            throw new TwinStoreException("journal of " + before.thingId() + " has a merge at revision " + revision
                    + " that does not follow revision " + before.revision()
                    + (before.deleted() ? " (a deletion)" : ""), null);
        }
        JsonValue merged = JsonMergePatch.of(JsonPointer.of(mergePath), JsonFactory.readFrom(row.getString(2)))
                .applyOn(before.json());
        return new StoredThing(before.thingId(), merged.asObject(), revision, before.created(), modified, false);
    }

    /**
     * The recorded state of a thing at a point of its history, as Ditto resolves it: the state after revision
     * {@code atRevision} (when given), or — with {@code before} — the newest state at or below that revision
     * modified strictly before {@code before}. Empty when that state is not (or no longer) answerable; a tombstone
     * when the thing was deleted at that point.
     *
     * @param currentRevision the thing's current revision (the newest {@code depth} up to it are answerable)
     * @param atRevision      the revision, or {@code null} for "up to the newest recorded"
     * @param before          the exclusive upper time bound, or {@code null} for none
     */
    Optional<StoredThing> stateAt(ThingId thingId, long currentRevision, Long atRevision, Instant before)
            throws SQLException {
        long oldestAnswerable = oldestAnswerable(currentRevision);
        if (depth == 0 || (atRevision != null && (atRevision < oldestAnswerable || atRevision > currentRevision))) {
            return Optional.empty();
        }
        long newest = atRevision == null ? currentRevision : atRevision;
        Optional<Long> revision = before == null
                ? Optional.of(newest)
                : newestRevisionBefore(thingId, oldestAnswerable, newest, before);
        if (revision.isEmpty()) {
            return Optional.empty();
        }
        return stateAtRevision(thingId, revision.get());
    }

    /** The state after {@code revision}: its newest snapshot at or below it with the merges up to it replayed. */
    private Optional<StoredThing> stateAtRevision(ThingId thingId, long revision) throws SQLException {
        Optional<Long> snapshot = newestSnapshotAtOrBelow(thingId, revision);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        StoredThing state = replay(nothingBefore(thingId), snapshot.get() - 1, revision, Step.NONE);
        return state.revision() == revision ? Optional.of(state) : Optional.empty();
    }

    private Optional<Long> newestSnapshotAtOrBelow(ThingId thingId, long revision) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT revision FROM thing_history"
                + " WHERE thing_id = ? AND revision <= ? AND merge_path IS NULL ORDER BY revision DESC LIMIT 1")) {
            select.setString(1, thingId.toString());
            select.setLong(2, revision);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getLong(1)) : Optional.empty();
            }
        }
    }

    /**
     * Walks the answerable revisions newest first (from {@code newest}) to the first modified before {@code before};
     * none means the time lies before creation or before what is still answerable.
     */
    private Optional<Long> newestRevisionBefore(ThingId thingId, long oldest, long newest, Instant before)
            throws SQLException {
        // Instant.toString() drops trailing zeros, so the stored text does not sort as time: compare instants here
        try (PreparedStatement select = connection.prepareStatement("SELECT revision, modified FROM thing_history"
                + " WHERE thing_id = ? AND revision BETWEEN ? AND ? ORDER BY revision DESC")) {
            select.setString(1, thingId.toString());
            select.setLong(2, oldest);
            select.setLong(3, newest);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    if (Instant.parse(row.getString(2)).isBefore(before)) {
                        return Optional.of(row.getLong(1));
                    }
                }
                return Optional.empty();
            }
        }
    }

    /**
     * What the answerable revisions within {@code [fromRevision, toRevision]} and the time bounds changed of the
     * thing's features, oldest first ({@link FeatureHistoryEntry#changes} of each revision against the one before).
     *
     * @param currentRevision the thing's current revision
     * @param fromTimestamp   the inclusive lower time bound, or {@code null}
     * @param toTimestamp     the inclusive upper time bound, or {@code null}
     */
    List<FeatureHistoryEntry> featureChanges(ThingId thingId, long currentRevision, long fromRevision,
                                             long toRevision, Instant fromTimestamp, Instant toTimestamp)
            throws SQLException {
        long first = Math.max(fromRevision, oldestAnswerable(currentRevision));
        long last = Math.min(toRevision, currentRevision);
        if (depth == 0 || first > last) {
            return List.of();
        }
        // replayed from the newest snapshot at or below the revision before the first (revision 1 has none before)
        long replayFrom = newestSnapshotAtOrBelow(thingId, Math.max(1, first - 1)).orElse(first);
        List<FeatureHistoryEntry> entries = new ArrayList<>();
        replay(nothingBefore(thingId), replayFrom - 1, last, (before, next) -> {
            Instant modified = next.modified();
            if (next.revision() >= first && !next.deleted()
                    && (fromTimestamp == null || !modified.isBefore(fromTimestamp))
                    && (toTimestamp == null || !modified.isAfter(toTimestamp))) {
                entries.addAll(FeatureHistoryEntry.changes(thingId, next.revision(), modified,
                        before.deleted() ? JsonObject.empty() : before.json(), next.json()));
            }
        });
        return entries;
    }

    /** Releases the prepared statements (the connection belongs to the store). */
    void close() throws SQLException {
        if (insert != null) {
            insert.close();
            prune.close();
        }
    }
}
