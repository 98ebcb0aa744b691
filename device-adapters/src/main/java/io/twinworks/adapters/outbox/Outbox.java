package io.twinworks.adapters.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The durable outbox: every message is committed to an embedded SQLite database before it is
 * published, and deleted only after its PUBACK. After a reconnect or restart the forwarder reads
 * it again from the oldest message, so delivery is at least once and in append order (hence in
 * order per device). Each device's sequence number is stored beside the messages, in the same
 * transaction, so it keeps growing across restarts.
 *
 * <p>Bounded: at {@code maxMessages} the {@link OverflowPolicy} decides (refuse the new message or
 * drop the oldest), counted in {@code adapter.outbox.overflow}. Thread-safe (one connection,
 * synchronized); all calls block on disk I/O, so never call it on an event loop.
 *
 * <p>The database runs in WAL mode. {@link SyncMode#NORMAL} survives a crash of the process
 * ({@code kill -9}); {@link SyncMode#FULL} also survives a power loss, at the cost of an fsync per append.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

    /** SQLite's {@code synchronous} setting. */
    public enum SyncMode { NORMAL, FULL }

    private final Path file;
    private final int maxMessages;
    private final OverflowPolicy overflowPolicy;
    private final Connection db;
    /** Source keys kept for recognising redeliveries: far more than a broker's in-flight window. */
    public static final int KEPT_RECEIPTS = 10_000;

    private final PreparedStatement nextSeq;
    private final PreparedStatement readSeq;
    private final PreparedStatement insert;
    private final PreparedStatement selectAfter;
    private final PreparedStatement deleteOne;
    private final PreparedStatement deleteOldest;
    private final Counter appended;
    private final Counter acknowledged;
    private final Counter rejected;
    private final Counter dropped;
    private final Counter deadLettered;
    private final PreparedStatement selectOldestStoredAt;
    private final PreparedStatement insertReceipt;
    private final PreparedStatement selectReceipt;
    private final PreparedStatement pruneReceipts;
    private long receiptsSincePrune;
    private final PreparedStatement moveToDeadLetters;
    /*
     * Counters kept in memory for readers that must not wait for the lock, which is held across
     * commits (an fsync with sync FULL): gauges, /health, the forwarder's log. Written under the lock.
     */
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger deadLetters = new AtomicInteger();
    /** When the oldest stored message was stored (epoch ms), 0 when empty. */
    private final AtomicLong oldestStoredAt = new AtomicLong();
    /** Whether the last write transaction committed: false after a failed append/remove (disk full, I/O error). */
    private volatile boolean lastWriteSucceeded = true;
    private volatile Runnable appendListener = () -> { };

    private Outbox(Path file, int maxMessages, OverflowPolicy overflowPolicy, Connection db, MeterRegistry meters)
            throws SQLException {
        this.file = file;
        this.maxMessages = maxMessages;
        this.overflowPolicy = overflowPolicy;
        this.db = db;
        try (Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                    + " device_id TEXT NOT NULL, seq INTEGER NOT NULL, topic TEXT NOT NULL, qos INTEGER NOT NULL,"
                    + " payload BLOB NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS device_sequences (device_id TEXT PRIMARY KEY,"
                    + " last_seq INTEGER NOT NULL)");
            // outboxes written before the column existed: their messages count as stored at opening time
            if (!hasColumn(statement, "messages", "stored_at")) {
                statement.execute("ALTER TABLE messages ADD COLUMN stored_at INTEGER NOT NULL DEFAULT 0");
                statement.execute("UPDATE messages SET stored_at = " + System.currentTimeMillis());
            }
            // messages taken out of delivery because Hono kept refusing them: kept, never deleted silently
            statement.execute("CREATE TABLE IF NOT EXISTS dead_letters (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL,"
                    + " seq INTEGER NOT NULL, topic TEXT NOT NULL, qos INTEGER NOT NULL, payload BLOB NOT NULL,"
                    + " stored_at INTEGER NOT NULL, dead_lettered_at INTEGER NOT NULL, reason TEXT NOT NULL)");
            // keys of plant messages already stored, so a broker's redelivery (DUP) is recognised after a crash
            statement.execute("CREATE TABLE IF NOT EXISTS source_receipts (source_key TEXT PRIMARY KEY)");
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM dead_letters")) {
                deadLetters.set(count.next() ? count.getInt(1) : 0);
            }
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM messages")) {
                size.set(count.next() ? count.getInt(1) : 0);
            }
        }
        nextSeq = db.prepareStatement("INSERT INTO device_sequences (device_id, last_seq) VALUES (?, 1)"
                + " ON CONFLICT(device_id) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
        readSeq = db.prepareStatement("SELECT last_seq FROM device_sequences WHERE device_id = ?");
        insert = db.prepareStatement("INSERT INTO messages (device_id, seq, topic, qos, payload, stored_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
        insertReceipt = db.prepareStatement("INSERT OR IGNORE INTO source_receipts (source_key) VALUES (?)");
        selectReceipt = db.prepareStatement("SELECT 1 FROM source_receipts WHERE source_key = ?");
        pruneReceipts = db.prepareStatement("DELETE FROM source_receipts WHERE rowid <= (SELECT MAX(rowid) FROM source_receipts) - ?");
        selectOldestStoredAt = db.prepareStatement("SELECT stored_at FROM messages ORDER BY id LIMIT 1");
        moveToDeadLetters = db.prepareStatement("INSERT INTO dead_letters (id, device_id, seq, topic, qos, payload,"
                + " stored_at, dead_lettered_at, reason) SELECT id, device_id, seq, topic, qos, payload, stored_at, ?, ?"
                + " FROM messages WHERE id = ?");
        selectAfter = db.prepareStatement("SELECT id, device_id, seq, topic, qos, payload FROM messages"
                + " WHERE id > ? ORDER BY id LIMIT ?");
        deleteOne = db.prepareStatement("DELETE FROM messages WHERE id = ?");
        deleteOldest = db.prepareStatement("DELETE FROM messages WHERE id = (SELECT MIN(id) FROM messages)");
        db.setAutoCommit(false);
        refreshOldestStoredAt();
        Gauge.builder("adapter.outbox.messages", this, Outbox::size)
                .description("messages stored in the outbox, waiting for their PUBACK").register(meters);
        Gauge.builder("adapter.outbox.oldest.age", this, outbox -> outbox.oldestAgeMillis() / 1000.0)
                .baseUnit("seconds")
                .description("age of the oldest message waiting for its PUBACK (0 when empty): alert on it").register(meters);
        Gauge.builder("adapter.outbox.dead.letters", this, Outbox::deadLetterCount)
                .description("messages taken out of delivery after repeated refusals (table dead_letters)").register(meters);
        deadLettered = Counter.builder("adapter.outbox.dead.lettered")
                .description("messages moved to the dead_letters table").register(meters);
        Gauge.builder("adapter.outbox.capacity", () -> maxMessages)
                .description("the outbox bound (adapter.outbox.maxMessages)").register(meters);
        appended = Counter.builder("adapter.outbox.appended").description("messages stored in the outbox").register(meters);
        acknowledged = Counter.builder("adapter.outbox.acknowledged")
                .description("messages removed from the outbox after their PUBACK").register(meters);
        rejected = Counter.builder("adapter.outbox.overflow").tag("policy", "reject-new")
                .description("messages refused or dropped because the outbox was full").register(meters);
        dropped = Counter.builder("adapter.outbox.overflow").tag("policy", "drop-oldest")
                .description("messages refused or dropped because the outbox was full").register(meters);
    }

    /**
     * Opens (creating if needed) the outbox database.
     *
     * @param file           the SQLite file
     * @param maxMessages    the bound
     * @param overflowPolicy what happens at the bound
     * @param syncMode       durability of each append (see class doc)
     * @param meters         receives the outbox meters
     */
    public static Outbox open(Path file, int maxMessages, OverflowPolicy overflowPolicy, SyncMode syncMode,
                              MeterRegistry meters) {
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be positive");
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement statement = connection.createStatement()) {
                statement.execute("PRAGMA journal_mode=WAL");
                statement.execute("PRAGMA synchronous=" + syncMode.name());
                statement.execute("PRAGMA busy_timeout=5000");
            }
            Outbox outbox = new Outbox(file, maxMessages, overflowPolicy, connection, meters);
            LOG.info("outbox {} opened: {} messages waiting, bound {}, overflow {}, sync {}", file, outbox.size(),
                    maxMessages, overflowPolicy, syncMode);
            return outbox;
        } catch (SQLException | java.io.IOException e) {
            throw new OutboxException("cannot open outbox " + file + ": " + e.getMessage(), e);
        }
    }

    /** Called (on the appending thread) after every successful append; the forwarder wakes up on it. */
    public void onAppended(Runnable listener) {
        this.appendListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Stores a message with the device's next sequence number, in one transaction.
     *
     * @param deviceId       the device
     * @param topic          the Hono topic
     * @param qos            the QoS to publish with
     * @param payloadForSeq  builds the payload carrying the given sequence number
     * @return the stored message
     * @throws OutboxFullException when full and the policy is {@link OverflowPolicy#REJECT_NEW}
     */
    public OutboxMessage append(String deviceId, String topic, int qos, LongFunction<byte[]> payloadForSeq)
            throws OutboxFullException {
        return append(deviceId, topic, qos, payloadForSeq, null);
    }

    /**
     * As {@link #append(String, String, int, LongFunction)}, also recording {@code sourceKey} (e.g. a
     * hash of a plant message) in the same transaction, so {@link #hasReceipt(String)} knows the
     * message was stored even after a crash. The newest {@value #KEPT_RECEIPTS} keys are kept.
     */
    public OutboxMessage append(String deviceId, String topic, int qos, LongFunction<byte[]> payloadForSeq,
                                @Nullable String sourceKey) throws OutboxFullException {
        OutboxMessage message;
        synchronized (this) {
            if (size.get() >= maxMessages && overflowPolicy == OverflowPolicy.REJECT_NEW) {
                rejected.increment();
                throw new OutboxFullException("outbox " + file + " holds " + size.get() + " messages (bound " + maxMessages
                        + ", policy reject-new): message for " + deviceId + " refused");
            }
            try {
                boolean droppedOldest = false;
                if (size.get() >= maxMessages) {
                    droppedOldest = deleteOldest.executeUpdate() > 0;
                }
                long storedAt = System.currentTimeMillis();
                long seq;
                nextSeq.setString(1, deviceId);
                try (ResultSet result = nextSeq.executeQuery()) {
                    result.next();
                    seq = result.getLong(1);
                }
                byte[] payload = payloadForSeq.apply(seq);
                insert.setString(1, deviceId);
                insert.setLong(2, seq);
                insert.setString(3, topic);
                insert.setInt(4, qos);
                insert.setBytes(5, payload);
                insert.setLong(6, storedAt);
                insert.executeUpdate();
                if (sourceKey != null) {
                    insertReceipt.setString(1, sourceKey);
                    insertReceipt.executeUpdate();
                    if (++receiptsSincePrune >= 1_000) {
                        receiptsSincePrune = 0;
                        pruneReceipts.setLong(1, KEPT_RECEIPTS);
                        pruneReceipts.executeUpdate();
                    }
                }
                long id;
                try (Statement statement = db.createStatement();
                     ResultSet rowId = statement.executeQuery("SELECT last_insert_rowid()")) {
                    rowId.next();
                    id = rowId.getLong(1);
                }
                db.commit();
                lastWriteSucceeded = true;
                if (droppedOldest) {
                    dropped.increment();
                    LOG.warn("outbox full (bound {}, policy drop-oldest): dropped the oldest message", maxMessages);
                    refreshOldestStoredAt();
                } else if (size.getAndIncrement() == 0) {
                    oldestStoredAt.set(storedAt);
                }
                appended.increment();
                message = new OutboxMessage(id, deviceId, seq, topic, qos, payload);
            } catch (SQLException | RuntimeException e) {
                lastWriteSucceeded = false;
                rollbackQuietly();
                throw new OutboxException("outbox append failed for " + deviceId + ": " + e.getMessage(), e);
            }
        }
        appendListener.run();
        return message;
    }

    /** Up to {@code limit} messages after position {@code afterId}, oldest first. */
    public synchronized List<OutboxMessage> next(long afterId, int limit) {
        return inTransaction("read", () -> {
            selectAfter.setLong(1, afterId);
            selectAfter.setInt(2, limit);
            List<OutboxMessage> messages = new ArrayList<>();
            try (ResultSet rows = selectAfter.executeQuery()) {
                while (rows.next()) {
                    messages.add(new OutboxMessage(rows.getLong(1), rows.getString(2), rows.getLong(3),
                            rows.getString(4), rows.getInt(5), rows.getBytes(6)));
                }
            }
            return messages;
        });
    }

    /** Removes acknowledged messages (one transaction); IDs no longer stored are ignored. */
    public synchronized void remove(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        int removed = inTransaction("remove", () -> {
            int deleted = 0;
            for (long id : ids) {
                deleteOne.setLong(1, id);
                deleted += deleteOne.executeUpdate();
            }
            return deleted;
        });
        size.addAndGet(-removed);
        refreshOldestStoredAt();
        acknowledged.increment(removed);
    }

    /** The last sequence number handed out for a device, 0 if none. */
    public synchronized long lastSeq(String deviceId) {
        return inTransaction("read", () -> {
            readSeq.setString(1, deviceId);
            try (ResultSet result = readSeq.executeQuery()) {
                return result.next() ? result.getLong(1) : 0L;
            }
        });
    }

    /**
     * Takes a message out of delivery for good, keeping it in the {@code dead_letters} table of the
     * same database (with the reason) for an operator to inspect or re-send. Logged and counted.
     *
     * @return whether the message was still stored
     */
    public synchronized boolean deadLetter(long id, String reason) {
        int moved = inTransaction("dead-letter", () -> {
            moveToDeadLetters.setLong(1, System.currentTimeMillis());
            moveToDeadLetters.setString(2, reason);
            moveToDeadLetters.setLong(3, id);
            int copied = moveToDeadLetters.executeUpdate();
            deleteOne.setLong(1, id);
            deleteOne.executeUpdate();
            return copied;
        });
        if (moved > 0) {
            size.decrementAndGet();
            deadLetters.incrementAndGet();
            refreshOldestStoredAt();
            deadLettered.increment();
        }
        return moved > 0;
    }

    /** Whether a message with this source key was stored (among the newest {@value #KEPT_RECEIPTS}). */
    public synchronized boolean hasReceipt(String sourceKey) {
        return inTransaction("read", () -> {
            selectReceipt.setString(1, sourceKey);
            try (ResultSet found = selectReceipt.executeQuery()) {
                return found.next();
            }
        });
    }

    /** A message taken out of delivery, as kept in the {@code dead_letters} table. */
    public record DeadLetter(long id, String deviceId, long seq, String topic, int qos, byte[] payload, long storedAt,
                             long deadLetteredAt, String reason) {
    }

    /** The dead letters, oldest first (at most {@code limit}). */
    public synchronized List<DeadLetter> deadLetters(int limit) {
        return inTransaction("read", () -> {
            try (PreparedStatement select = db.prepareStatement("SELECT id, device_id, seq, topic, qos, payload, stored_at,"
                    + " dead_lettered_at, reason FROM dead_letters ORDER BY id LIMIT ?")) {
                select.setInt(1, limit);
                List<DeadLetter> letters = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        letters.add(new DeadLetter(rows.getLong(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                                rows.getInt(5), rows.getBytes(6), rows.getLong(7), rows.getLong(8), rows.getString(9)));
                    }
                }
                return letters;
            }
        });
    }

    /**
     * Puts every dead letter back at the end of the outbox (same device, sequence number, topic and
     * payload) for another delivery attempt, e.g. after the device's registry entry was fixed. Only
     * with the adapter stopped: a running adapter keeps its own count of the stored messages.
     *
     * @return how many messages were put back
     */
    public synchronized int requeueDeadLetters() {
        int moved = inTransaction("requeue", () -> {
            try (Statement statement = db.createStatement()) {
                int inserted = statement.executeUpdate("INSERT INTO messages (device_id, seq, topic, qos, payload, stored_at)"
                        + " SELECT device_id, seq, topic, qos, payload, stored_at FROM dead_letters ORDER BY id");
                statement.executeUpdate("DELETE FROM dead_letters");
                return inserted;
            }
        });
        size.addAndGet(moved);
        deadLetters.set(0);
        refreshOldestStoredAt();
        LOG.info("outbox {}: {} dead letters put back for delivery", file, moved);
        return moved;
    }

    /** Messages in the {@code dead_letters} table (in memory: never waits for the lock). */
    public int deadLetterCount() {
        return deadLetters.get();
    }

    /**
     * Milliseconds since the oldest waiting message was stored; 0 when the outbox is empty. In memory:
     * never waits for the lock (a writer refreshes it after each change of the oldest message).
     */
    public long oldestAgeMillis() {
        long storedAt = oldestStoredAt.get();
        return size.get() == 0 || storedAt == 0 ? 0 : Math.max(0, System.currentTimeMillis() - storedAt);
    }

    /** Whether the last append or removal committed (false: the disk refused a write; readiness is down). */
    public boolean writable() {
        return lastWriteSucceeded;
    }

    /** Re-reads when the oldest stored message was stored (the caller holds the lock). */
    private void refreshOldestStoredAt() {
        if (size.get() == 0) {
            oldestStoredAt.set(0);
            return;
        }
        oldestStoredAt.set(inTransaction("read", () -> {
            try (ResultSet oldest = selectOldestStoredAt.executeQuery()) {
                return oldest.next() ? oldest.getLong(1) : 0L;
            }
        }));
    }

    /** Database work of one transaction (the caller holds the outbox's lock). */
    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} and commits; on failure rolls back and throws "outbox {@code what} failed". */
    private <T> T inTransaction(String what, Work<T> work) {
        try {
            T result = work.run();
            db.commit();
            if (!"read".equals(what)) {
                lastWriteSucceeded = true;
            }
            return result;
        } catch (SQLException e) {
            if (!"read".equals(what)) {
                lastWriteSucceeded = false;
            }
            rollbackQuietly();
            throw new OutboxException("outbox " + what + " failed: " + e.getMessage(), e);
        }
    }

    private static boolean hasColumn(Statement statement, String table, String column) throws SQLException {
        try (ResultSet columns = statement.executeQuery("PRAGMA table_info(" + table + ")")) {
            while (columns.next()) {
                if (column.equalsIgnoreCase(columns.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Messages stored (in memory: never waits for the lock). */
    public int size() {
        return size.get();
    }

    /** The bound. */
    public int maxMessages() {
        return maxMessages;
    }

    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            LOG.debug("outbox rollback failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            LOG.warn("closing outbox {} failed: {}", file, e.toString());
        }
    }
}
