package io.twinworks.localstack.hono.registry.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The registry's SQLite database and its transactions: the schema, the one connection, and the store's
 * own one-thread executor every transaction runs on (JDBC and SQLite fsyncs never park the shared worker
 * pool, where bcrypt checks of MQTT logins and other blocking work run). SQLite has one writer at a time,
 * so the one connection serves all transactions under a lock. Each write transaction bumps the
 * {@linkplain #writeGeneration() write generation}, which tells caches what they read is stale.
 */
final class RegistryDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(RegistryDatabase.class);
    private static final int SCHEMA_VERSION = 1;

    /** Work done inside one transaction, on the store's thread, with the connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws Exception;
    }

    private final Path file;
    private final Connection connection;
    private final WorkerExecutor worker;
    private final AtomicLong writeGeneration = new AtomicLong();
    private volatile boolean closed;

    private RegistryDatabase(Vertx vertx, Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.worker = vertx.createSharedWorkerExecutor("hono-registry-store", 1);
    }

    /** Opens (creating if needed) the database file and its schema. */
    static Future<RegistryDatabase> open(Vertx vertx, Path stateDir, String fileName) {
        Objects.requireNonNull(vertx, "vertx");
        Objects.requireNonNull(stateDir, "stateDir");
        return vertx.executeBlocking(() -> {
            Files.createDirectories(stateDir);
            Path file = stateDir.resolve(fileName);
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try {
                initialise(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            LOG.info("device registry store opened at {}", file);
            return new RegistryDatabase(vertx, file, connection);
        }, false);
    }

    private static void initialise(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA journal_mode=WAL");
            // FULL: a commit is on disk before the API answers, whatever happens to the process after.
            statement.execute("PRAGMA synchronous=FULL");
            statement.execute("PRAGMA busy_timeout=5000");
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > SCHEMA_VERSION) {
                throw new SQLException("registry database schema version " + version
                        + " is newer than this program's " + SCHEMA_VERSION);
            }
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS tenants (
                      tenant_id TEXT PRIMARY KEY, version TEXT NOT NULL,
                      created TEXT NOT NULL, updated TEXT, document TEXT NOT NULL)""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS devices (
                      tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, version TEXT NOT NULL,
                      created TEXT NOT NULL, updated TEXT, document TEXT NOT NULL,
                      PRIMARY KEY (tenant_id, device_id))""");
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS credentials (
                      tenant_id TEXT NOT NULL, device_id TEXT NOT NULL, version TEXT NOT NULL,
                      created TEXT NOT NULL, updated TEXT, document TEXT NOT NULL,
                      PRIMARY KEY (tenant_id, device_id))""");
            // The tenant-wide uniqueness of (type, auth-id) and the login lookup both use this table.
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS credential_keys (
                      tenant_id TEXT NOT NULL, type TEXT NOT NULL, auth_id TEXT NOT NULL, device_id TEXT NOT NULL,
                      PRIMARY KEY (tenant_id, type, auth_id))""");
            statement.execute("CREATE INDEX IF NOT EXISTS credential_keys_by_device ON credential_keys (tenant_id, device_id)");
            statement.execute("PRAGMA user_version=" + SCHEMA_VERSION);
        }
    }

    /** The database file. */
    Path file() {
        return file;
    }

    /** Whether the database is open (in memory: for readiness probes, which must not queue behind writes). */
    boolean isOpen() {
        return !closed;
    }

    /** Bumped after every write transaction. */
    long writeGeneration() {
        return writeGeneration.get();
    }

    /** A transaction that changes data: the write generation moves on once it completed. */
    <T> Future<T> inWriteTransaction(Work<T> work) {
        return this.<T>inTransaction(work).onComplete(done -> writeGeneration.incrementAndGet());
    }

    /** A transaction on the store's thread: committed when the work returns, rolled back when it throws. */
    <T> Future<T> inTransaction(Work<T> work) {
        if (closed) {
            // the store's thread is gone with it: fail here rather than with the executor's rejection
            return Future.failedFuture(new IllegalStateException("the device registry store is closed"));
        }
        return worker.executeBlocking(() -> {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the device registry store is closed");
                }
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (Exception e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }, true);
    }

    /** Closes the database and its thread; later transactions fail. */
    Future<Void> close() {
        return worker.<Void>executeBlocking(() -> {
            synchronized (this) {
                if (!closed) {
                    closed = true;
                    connection.close();
                    LOG.info("device registry store closed");
                }
            }
            return null;
        }, true).eventually(() -> worker.close());
    }
}
