package io.twinworks.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A temporary directory a command owns for one run (a throw-away local stack's state, a bench's files):
 * deleted when closed, and also when the JVM is stopped with Ctrl-C or SIGTERM before that, so an
 * interrupted bench does not leave a Kafka log and SQLite files of hundreds of megabytes in {@code /tmp}.
 */
public final class ScratchDirectory implements AutoCloseable {

    private final Path path;
    private final Thread deleteOnShutdown;
    private boolean closed;

    private ScratchDirectory(Path path) {
        this.path = path;
        this.deleteOnShutdown = new Thread(this::delete, "delete-" + path.getFileName());
    }

    /**
     * Creates a new empty directory under the system's temporary directory.
     *
     * @param prefix the start of the directory's name, saying which command made it
     * @throws IOException when the directory cannot be created
     */
    public static ScratchDirectory create(String prefix) throws IOException {
        ScratchDirectory directory = new ScratchDirectory(Files.createTempDirectory(Objects.requireNonNull(prefix, "prefix")));
        Runtime.getRuntime().addShutdownHook(directory.deleteOnShutdown);
        return directory;
    }

    /** The directory's path. */
    public Path path() {
        return path;
    }

    /** Deletes the directory with everything in it; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(deleteOnShutdown);
        } catch (IllegalStateException shutdownUnderWay) {
            // the hook runs (or ran) anyway
        }
        delete();
    }

    private void delete() {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(ScratchDirectory::deleteOne);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("twinworks: cannot delete " + path + ": " + e.getMessage());
        }
    }

    private static void deleteOne(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
