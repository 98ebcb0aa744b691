package io.twinworks.localstack.ditto.store;

import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.ThingId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/**
 * The whole-thing history of the {@link TwinStore}: table {@code thing_history}, one row per thing revision (the
 * thing's JSON after that revision, or a tombstone for its deletion), the newest {@code depth} revisions per thing
 * kept. It answers Ditto 3.2+'s historical reads ({@code at-historical-revision} / {@code -timestamp}).
 *
 * <p>A thing's revisions count up by one per change, tombstones included, so "the newest {@code depth}" are the
 * revisions above {@code revision - depth}: pruning is one range delete on the primary key, cheap enough for the
 * ingest path, which writes a row per applied change in the same transaction as the thing itself.
 *
 * <p>Not thread-safe: the {@link TwinStore} calls it under its own lock, on its connection.
 */
final class ThingHistoryTable {

    private static final String INSERT = "INSERT OR REPLACE INTO thing_history"
            + " (thing_id, revision, json, created, modified, deleted) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String PRUNE = "DELETE FROM thing_history WHERE thing_id = ? AND revision <= ?";

    private final Connection connection;
    private final int depth;
    private PreparedStatement insert;
    private PreparedStatement prune;

    private ThingHistoryTable(Connection connection, int depth) {
        this.connection = connection;
        this.depth = depth;
    }

    /**
     * Creates the table if needed.
     *
     * @param depth how many revisions per thing to keep (oldest dropped first); 0 records none
     */
    static ThingHistoryTable create(Connection connection, int depth) throws SQLException {
        if (depth < 0) {
            throw new IllegalArgumentException("thing history depth must be >= 0");
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS thing_history (thing_id TEXT NOT NULL,"
                    + " revision INTEGER NOT NULL, json TEXT NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL,"
                    + " deleted INTEGER NOT NULL, PRIMARY KEY (thing_id, revision))");
        }
        return new ThingHistoryTable(connection, depth);
    }

    /**
     * Records the thing as of its revision (into the caller's open transaction) and drops what falls out of depth.
     *
     * @param created  the text of the thing's creation time ({@link Instant#toString()}), as its row stores it
     * @param modified the text of its modification time
     */
    void append(StoredThing thing, String created, String modified) throws SQLException {
        if (depth == 0) {
            return;
        }
        if (insert == null) {
            insert = connection.prepareStatement(INSERT);
            prune = connection.prepareStatement(PRUNE);
        }
        String thingId = thing.thingId().toString();
        insert.setString(1, thingId);
        insert.setLong(2, thing.revision());
        // a tombstone only needs to say "gone at this revision"
        insert.setString(3, thing.deleted() ? "{}" : thing.json().toString());
        insert.setString(4, created);
        insert.setString(5, modified);
        insert.setInt(6, thing.deleted() ? 1 : 0);
        insert.executeUpdate();
        if (thing.revision() > depth) {
            prune.setString(1, thingId);
            prune.setLong(2, thing.revision() - depth);
            prune.executeUpdate();
        }
    }

    /**
     * The recorded state of a thing at a point of its history, as Ditto resolves it: the state after revision
     * {@code atRevision} (when given), or — with {@code before} — the newest state at or below that revision
     * modified strictly before {@code before}. Empty when that state is not (or no longer) recorded; a tombstone
     * when the thing was deleted at that point.
     *
     * @param atRevision the revision, or {@code null} for "up to the newest recorded"
     * @param before     the exclusive upper time bound, or {@code null} for none
     */
    Optional<StoredThing> stateAt(ThingId thingId, Long atRevision, Instant before) throws SQLException {
        Optional<Long> revision = atRevision != null && before == null
                ? Optional.of(atRevision)
                : newestRevisionBefore(thingId, atRevision, before);
        if (revision.isEmpty()) {
            return Optional.empty();
        }
        try (PreparedStatement select = connection.prepareStatement("SELECT json, created, modified, deleted"
                + " FROM thing_history WHERE thing_id = ? AND revision = ?")) {
            select.setString(1, thingId.toString());
            select.setLong(2, revision.get());
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? Optional.of(new StoredThing(thingId, JsonFactory.newObject(row.getString(1)), revision.get(),
                        Instant.parse(row.getString(2)), Instant.parse(row.getString(3)), row.getInt(4) != 0))
                        : Optional.empty();
            }
        }
    }

    /**
     * Walks the recorded revisions newest first (from {@code atRevision}, which must itself be recorded) to the first
     * modified before {@code before}. Retention keeps an unbroken run of the newest revisions, so the first match
     * is the state at that time; none means the time lies before creation or before what is still recorded.
     */
    private Optional<Long> newestRevisionBefore(ThingId thingId, Long atRevision, Instant before) throws SQLException {
        // Instant.toString() drops trailing zeros, so the stored text does not sort as time: compare instants here
        try (PreparedStatement select = connection.prepareStatement("SELECT revision, modified FROM thing_history"
                + " WHERE thing_id = ? AND revision <= ? ORDER BY revision DESC")) {
            select.setString(1, thingId.toString());
            select.setLong(2, atRevision == null ? Long.MAX_VALUE : atRevision);
            try (ResultSet row = select.executeQuery()) {
                boolean first = true;
                while (row.next()) {
                    long revision = row.getLong(1);
                    if (first && atRevision != null && revision != atRevision) {
                        return Optional.empty();
                    }
                    first = false;
                    if (before == null || Instant.parse(row.getString(2)).isBefore(before)) {
                        return Optional.of(revision);
                    }
                }
                return Optional.empty();
            }
        }
    }

    /** Releases the prepared statements (the connection belongs to the store). */
    void close() throws SQLException {
        if (insert != null) {
            insert.close();
            prune.close();
        }
    }
}
