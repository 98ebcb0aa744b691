package io.twinworks.localstack.ditto.store;

import io.twinworks.localstack.ditto.model.FeatureHistoryEntry;
import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredPolicy;
import io.twinworks.localstack.ditto.model.StoredThing;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.things.model.ThingId;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;

/**
 * Things (with a bounded journal of their revisions) and policies in an embedded SQLite database.
 *
 * <p>Durability: the database runs in WAL mode with {@code synchronous=FULL}, and
 * {@link #commit(List)} and {@link #transaction(Supplier)} return only after the transaction is
 * committed, so a change that was acknowledged survives a {@code kill -9} of the process (and a
 * power loss). Group commit: {@link #transaction(Supplier)} lets the twin service stage the changes
 * of many commands (each reading what the previous ones staged) and make them durable with ONE
 * commit, i.e. one fsync, instead of one per command.
 *
 * <p>A thing's changes go to a journal ({@link ThingJournal}): a merge is recorded as its patch, and the
 * {@code things} row and the journal get the whole thing only every {@value ThingJournal#SNAPSHOT_INTERVAL}
 * revisions and for changes that are not merges, as Ditto keeps events and snapshots; a thing read from disk is its
 * row with the merges after it replayed.
 *
 * <p>Every method blocks on disk I/O: call it from a worker thread, never from an event loop.
 * Methods are synchronized, so one instance may be shared, but the twin service serializes its
 * commands anyway (read-check-write per command must not interleave).
 */
public final class TwinStore implements AutoCloseable {

    /** The database file name under the state directory. */
    public static final String FILE_NAME = "ditto-twins.sqlite";

    /** Things (and, separately, policies) kept parsed in memory, least recently used dropped first. */
    public static final int CACHED_ENTITIES = 20_000;

    /** How many revisions per thing the whole-thing history keeps unless told otherwise. */
    public static final int DEFAULT_THING_HISTORY_DEPTH = 1000;

    private final Connection connection;
    private final ThingJournal journal;
    /** Inside {@link #transaction(Supplier)}: reads must not end the transaction that holds staged changes. */
    private boolean inTransaction;
    /*
     * Read cache of committed things and policies (this store is the database's only writer, so it stays
     * exact), including "does not exist": a twin command reads its thing and policy, and re-reading and
     * re-parsing their JSON per command cost more than applying it. Staged changes live apart until their
     * transaction commits and are dropped on rollback.
     */
    private final Map<ThingId, Optional<StoredThing>> committedThings = boundedCache();
    private final Map<PolicyId, Optional<StoredPolicy>> committedPolicies = boundedCache();
    private final Map<ThingId, Optional<StoredThing>> stagedThings = new HashMap<>();
    private final Map<PolicyId, Optional<StoredPolicy>> stagedPolicies = new HashMap<>();
    /** The write statements, prepared once: SQLite compiling the same SQL for every change cost more than running it. */
    private final Map<String, PreparedStatement> preparedWrites = new HashMap<>();

    private TwinStore(Connection connection, ThingJournal journal) {
        this.connection = connection;
        this.journal = journal;
    }

    /**
     * Opens (creating if needed) the store in {@code stateDir}, answering historical reads of the last
     * {@value #DEFAULT_THING_HISTORY_DEPTH} revisions of every thing.
     *
     * @see #open(Path, int)
     */
    public static TwinStore open(Path stateDir) {
        return open(stateDir, DEFAULT_THING_HISTORY_DEPTH);
    }

    /**
     * Opens (creating if needed) the store in {@code stateDir}.
     *
     * @param stateDir     the directory holding {@value #FILE_NAME}
     * @param historyDepth how many revisions per thing historical reads and the history stream answer (oldest
     *                     dropped first); 0 disables them
     */
    public static TwinStore open(Path stateDir, int historyDepth) {
        Objects.requireNonNull(stateDir, "stateDir");
        if (historyDepth < 0) {
            throw new IllegalArgumentException("history depth must be >= 0");
        }
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state directory " + stateDir, e);
        }
        try {
            Properties driverProperties = new Properties();
            // nobody reads generated keys, and the driver fetched them after every INSERT (a regex over the SQL, a
            // new statement compiling and running SELECT last_insert_rowid()): 8% of the twin thread's CPU
            driverProperties.setProperty(SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.pragmaName, "false");
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + stateDir.resolve(FILE_NAME),
                    driverProperties);
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=FULL");
                statement.execute("PRAGMA busy_timeout=5000");
                statement.execute("CREATE TABLE IF NOT EXISTS things (thing_id TEXT PRIMARY KEY, json TEXT NOT NULL,"
                        + " revision INTEGER NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL,"
                        + " deleted INTEGER NOT NULL)");
                statement.execute("CREATE TABLE IF NOT EXISTS policies (policy_id TEXT PRIMARY KEY, json TEXT NOT NULL,"
                        + " revision INTEGER NOT NULL, created TEXT NOT NULL, modified TEXT NOT NULL,"
                        + " deleted INTEGER NOT NULL)");
                // an earlier version's per-feature history: the journal answers the same reads now
                statement.execute("DROP TABLE IF EXISTS feature_history");
            }
            ThingJournal journal = ThingJournal.create(connection, historyDepth);
            connection.setAutoCommit(false);
            return new TwinStore(connection, journal);
        } catch (SQLException e) {
            throw new TwinStoreException("cannot open twin store in " + stateDir, e);
        }
    }

    /** The thing, including a tombstone of a deleted one, or empty if it never existed. */
    public synchronized Optional<StoredThing> findThing(ThingId thingId) {
        Optional<StoredThing> known = stagedThings.get(thingId);
        if (known == null) {
            known = committedThings.get(thingId);
        }
        if (known == null) {
            known = readThing(thingId);
            committedThings.put(thingId, known);
        }
        return known;
    }

    private Optional<StoredThing> readThing(ThingId thingId) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT json, revision, created, modified, deleted FROM things WHERE thing_id = ?")) {
            select.setString(1, thingId.toString());
            try (ResultSet row = select.executeQuery()) {
                Optional<StoredThing> snapshot = row.next()
                        ? Optional.of(new StoredThing(thingId, JsonFactory.newObject(row.getString(1)), row.getLong(2),
                        Instant.parse(row.getString(3)), Instant.parse(row.getString(4)), row.getInt(5) != 0))
                        : Optional.empty();
                Optional<StoredThing> result = snapshot.isPresent()
                        ? Optional.of(journal.replayMergesAfter(snapshot.get())) : snapshot;
                endReadTransaction();
                return result;
            }
        } catch (SQLException e) {
            throw new TwinStoreException("cannot read thing " + thingId, e);
        }
    }

    /**
     * Every thing that exists now (no tombstones), in thing ID order: the full scan the local search
     * and subscription filters work on, fine at a development stack's scale.
     */
    public synchronized List<StoredThing> allThings() {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT thing_id, json, revision, created, modified FROM things WHERE deleted = 0 ORDER BY thing_id")) {
            List<StoredThing> things = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    ThingId thingId = ThingId.of(row.getString(1));
                    // the cache holds the committed state; a thing not in it is its snapshot plus the merges after it
                    Optional<StoredThing> cached = committedThings.get(thingId);
                    things.add(cached != null && cached.isPresent() ? cached.get()
                            : journal.replayMergesAfter(new StoredThing(thingId, JsonFactory.newObject(row.getString(2)),
                            row.getLong(3), Instant.parse(row.getString(4)), Instant.parse(row.getString(5)), false)));
                }
            }
            endReadTransaction();
            return things;
        } catch (SQLException e) {
            throw new TwinStoreException("cannot list things", e);
        }
    }

    /** The policy, including a tombstone of a deleted one, or empty if it never existed. */
    public synchronized Optional<StoredPolicy> findPolicy(PolicyId policyId) {
        Optional<StoredPolicy> known = stagedPolicies.get(policyId);
        if (known == null) {
            known = committedPolicies.get(policyId);
        }
        if (known == null) {
            known = readPolicy(policyId);
            committedPolicies.put(policyId, known);
        }
        return known;
    }

    private Optional<StoredPolicy> readPolicy(PolicyId policyId) {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT json, revision, created, modified, deleted FROM policies WHERE policy_id = ?")) {
            select.setString(1, policyId.toString());
            try (ResultSet row = select.executeQuery()) {
                Optional<StoredPolicy> result = row.next()
                        ? Optional.of(new StoredPolicy(policyId, JsonFactory.newObject(row.getString(1)),
                        row.getLong(2), Instant.parse(row.getString(3)), Instant.parse(row.getString(4)),
                        row.getInt(5) != 0))
                        : Optional.empty();
                endReadTransaction();
                return result;
            }
        } catch (SQLException e) {
            throw new TwinStoreException("cannot read policy " + policyId, e);
        }
    }

    /**
     * What the answerable revisions of a thing within {@code [fromRevision, toRevision]} and
     * {@code [fromTimestamp, toTimestamp]} (either time bound may be {@code null}) changed of its features, oldest
     * first: per revision one entry per changed feature, in feature ID order (see
     * {@link FeatureHistoryEntry#changes}). Empty when the thing never existed.
     */
    public synchronized List<FeatureHistoryEntry> thingHistory(ThingId thingId, long fromRevision, long toRevision,
                                                               Instant fromTimestamp, Instant toTimestamp) {
        Optional<StoredThing> current = findThing(thingId);
        if (current.isEmpty()) {
            return List.of();
        }
        try {
            List<FeatureHistoryEntry> entries = journal.featureChanges(thingId, current.get().revision(), fromRevision,
                    toRevision, fromTimestamp, toTimestamp);
            endReadTransaction();
            return entries;
        } catch (SQLException e) {
            throw new TwinStoreException("cannot read history of " + thingId, e);
        }
    }

    /**
     * The recorded state of a thing at a point of its history (Ditto 3.2+'s historical read): after revision
     * {@code atRevision}, or the newest state (at or below {@code atRevision}, when given) modified strictly before
     * {@code before}. Empty when that state was never or is no longer recorded; a tombstone when the thing was
     * deleted at that point.
     *
     * @param atRevision the revision, or {@code null}
     * @param before     the exclusive time bound, or {@code null} (one of the two is given)
     */
    public synchronized Optional<StoredThing> thingAt(ThingId thingId, Long atRevision, Instant before) {
        Objects.requireNonNull(thingId, "thingId");
        if (atRevision == null && before == null) {
            throw new IllegalArgumentException("a revision or a timestamp is needed");
        }
        Optional<StoredThing> current = findThing(thingId);
        if (current.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<StoredThing> state = journal.stateAt(thingId, current.get().revision(), atRevision, before);
            endReadTransaction();
            return state;
        } catch (SQLException e) {
            throw new TwinStoreException("cannot read the history of " + thingId, e);
        }
    }

    /** Applies the changes in one transaction; returns once they are durable. */
    public synchronized void commit(List<StoreChange> changes) {
        transaction(() -> {
            stage(changes);
            return null;
        });
    }

    /**
     * Runs {@code work} as one transaction and commits it once (one fsync): the work reads through this
     * store (seeing what it staged before) and writes with {@link #stage(List)}. Other threads' calls wait
     * until the transaction ends (the methods are synchronized), so nobody reads staged changes that are
     * not durable yet. Returns the work's result once the transaction is durable.
     *
     * @throws TwinStoreException when staging or the commit fails; nothing of the work is kept then
     *                            (a {@code RuntimeException} of the work itself rolls back too and is rethrown)
     */
    public synchronized <T> T transaction(Supplier<T> work) {
        if (inTransaction) {
            throw new IllegalStateException("transactions do not nest");
        }
        inTransaction = true;
        try {
            T result = work.get();
            connection.commit();
            committedThings.putAll(stagedThings);
            committedPolicies.putAll(stagedPolicies);
            return result;
        } catch (SQLException e) {
            rollbackAfter(e);
            throw new TwinStoreException("cannot commit transaction", e);
        } catch (RuntimeException | Error e) {
            rollbackAfter(e);
            throw e;
        } finally {
            // after a commit they are in the cache; after a rollback they never happened
            stagedThings.clear();
            stagedPolicies.clear();
            inTransaction = false;
        }
    }

    /**
     * Writes changes into the transaction of {@link #transaction(Supplier)} (not durable before it commits).
     *
     * @throws IllegalStateException outside a transaction
     * @throws TwinStoreException    when a write fails (the whole transaction is then rolled back)
     */
    public synchronized void stage(List<StoreChange> changes) {
        if (!inTransaction) {
            throw new IllegalStateException("stage() outside transaction()");
        }
        try {
            for (StoreChange change : changes) {
                if (change instanceof StoreChange.PutThing put) {
                    putSnapshot(put.thing());
                } else if (change instanceof StoreChange.MergeThing merge) {
                    if (ThingJournal.isSnapshotRevision(merge.thing().revision())) {
                        putSnapshot(merge.thing());
                    } else {
                        // the things row keeps the last snapshot: reading it from disk replays this merge
                        journal.appendMerge(merge.thing(), merge.path(), merge.patch(),
                                InstantTexts.of(merge.thing().created()), InstantTexts.of(merge.thing().modified()));
                        stagedThings.put(merge.thing().thingId(), Optional.of(merge.thing()));
                    }
                } else if (change instanceof StoreChange.PutPolicy put) {
                    putPolicy(put.policy());
                    stagedPolicies.put(put.policy().policyId(), Optional.of(put.policy()));
                }
            }
        } catch (SQLException e) {
            throw new TwinStoreException("cannot write " + changes.size() + " change(s)", e);
        }
    }

    /** The thing's whole state into its row and the journal. */
    private void putSnapshot(StoredThing thing) throws SQLException {
        // each timestamp's text once for the thing row and its journal row
        String created = InstantTexts.of(thing.created());
        String modified = InstantTexts.of(thing.modified());
        putThing(thing, created, modified);
        journal.appendSnapshot(thing, created, modified);
        stagedThings.put(thing.thingId(), Optional.of(thing));
    }

    private static <K, V> Map<K, V> boundedCache() {
        return new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > CACHED_ENTITIES;
            }
        };
    }

    private void rollbackAfter(Throwable failure) {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailure) {
            failure.addSuppressed(rollbackFailure);
        }
    }

    /** Ends the implicit read transaction (autocommit is off), unless staged changes are waiting for their commit. */
    private void endReadTransaction() throws SQLException {
        if (!inTransaction) {
            connection.commit();
        }
    }

    private PreparedStatement preparedWrite(String sql) throws SQLException {
        PreparedStatement statement = preparedWrites.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            preparedWrites.put(sql, statement);
        }
        return statement;
    }

    private void putThing(StoredThing thing, String created, String modified) throws SQLException {
        PreparedStatement upsert = preparedWrite("INSERT OR REPLACE INTO things"
                + " (thing_id, json, revision, created, modified, deleted) VALUES (?, ?, ?, ?, ?, ?)");
        upsert.setString(1, thing.thingId().toString());
        upsert.setString(2, thing.json().toString());
        upsert.setLong(3, thing.revision());
        upsert.setString(4, created);
        upsert.setString(5, modified);
        upsert.setInt(6, thing.deleted() ? 1 : 0);
        upsert.executeUpdate();
    }

    private void putPolicy(StoredPolicy policy) throws SQLException {
        PreparedStatement upsert = preparedWrite("INSERT OR REPLACE INTO policies"
                + " (policy_id, json, revision, created, modified, deleted) VALUES (?, ?, ?, ?, ?, ?)");
        upsert.setString(1, policy.policyId().toString());
        upsert.setString(2, policy.json().toString());
        upsert.setLong(3, policy.revision());
        upsert.setString(4, policy.created().toString());
        upsert.setString(5, policy.modified().toString());
        upsert.setInt(6, policy.deleted() ? 1 : 0);
        upsert.executeUpdate();
    }

    /** Closes the database; committed data stays on disk. */
    @Override
    public synchronized void close() {
        try {
            for (PreparedStatement statement : preparedWrites.values()) {
                statement.close();
            }
            preparedWrites.clear();
            journal.close();
            connection.close();
        } catch (SQLException e) {
            throw new TwinStoreException("cannot close twin store", e);
        }
    }
}
