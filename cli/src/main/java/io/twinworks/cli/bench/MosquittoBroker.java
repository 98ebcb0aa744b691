package io.twinworks.cli.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code mosquitto} broker as a child process on a free loopback port, the baseline of the
 * ingest benchmark: a plain MQTT broker doing nothing but pub → sub on the same machine.
 *
 * <p>Its configuration is written to a temporary file: loopback listener, anonymous access (the
 * benchmark's devices still send their Hono user names), no persistence, and no limit on queued QoS 1
 * messages (mosquitto's default of 1000 would drop messages for a subscriber that lags behind, which
 * is loss the benchmark would report against the broker).
 */
public final class MosquittoBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MosquittoBroker.class);
    /** Where Debian installs it when {@code /usr/sbin} is not on the PATH. */
    private static final List<String> SBIN_DIRECTORIES = List.of("/usr/sbin", "/usr/local/sbin", "/sbin");

    private final Process process;
    private final Path configFile;
    private final Path logFile;
    private final int port;

    private MosquittoBroker(Process process, Path configFile, Path logFile, int port) {
        this.process = process;
        this.configFile = configFile;
        this.logFile = logFile;
        this.port = port;
    }

    /**
     * Starts mosquitto and waits until it accepts connections.
     *
     * @param executable {@code mosquitto} (looked up on the PATH and in the sbin directories) or a path
     * @throws IllegalStateException when mosquitto is not installed, exits, or does not listen within 10 s
     */
    public static MosquittoBroker start(String executable) throws IOException, InterruptedException {
        Path binary = requireInstalled(executable);
        int port = freePort();
        Path configFile = Files.createTempFile("twinworks-bench-mosquitto", ".conf");
        Path logFile = Files.createTempFile("twinworks-bench-mosquitto", ".log");
        Files.writeString(configFile, String.join("\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 0",
                "set_tcp_nodelay true",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                ""));
        Process process = new ProcessBuilder(binary.toString(), "-c", configFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .start();
        MosquittoBroker broker = new MosquittoBroker(process, configFile, logFile, port);
        try {
            broker.awaitListening();
        } catch (RuntimeException | InterruptedException e) {
            broker.close();
            throw e;
        }
        LOG.info("mosquitto {} listening on 127.0.0.1:{}", binary, port);
        return broker;
    }

    /**
     * The broker's executable.
     *
     * @throws IllegalStateException saying how to install it when it is missing
     */
    public static Path requireInstalled(String executable) {
        return locate(executable).orElseThrow(() -> new IllegalStateException(
                "mosquitto broker not found ('" + executable + "' is not on the PATH nor in " + SBIN_DIRECTORIES
                        + "): the baseline needs it; install it with 'apt-get install mosquitto' (./run-tests does)"));
    }

    static Optional<Path> locate(String executable) {
        Objects.requireNonNull(executable, "executable");
        if (executable.contains("/")) {
            Path path = Path.of(executable);
            return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
        }
        List<String> directories = new ArrayList<>();
        String pathVariable = System.getenv("PATH");
        if (pathVariable != null) {
            directories.addAll(List.of(pathVariable.split(java.io.File.pathSeparator)));
        }
        directories.addAll(SBIN_DIRECTORIES);
        return directories.stream()
                .filter(directory -> !directory.isBlank())
                .map(directory -> Path.of(directory, executable))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("mosquitto exited with " + process.exitValue() + ": " + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("mosquitto did not listen on port " + port + " within 10 s: " + log());
    }

    private String log() {
        try {
            return Files.readString(logFile).strip();
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** {@code tcp://127.0.0.1:<port>}. */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    /** CPU time the broker process has used so far (user + system), or 0 when the platform does not say. */
    public long cpuNanos() {
        return process.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    /** Stops the broker and removes its temporary files. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Files.deleteIfExists(configFile);
            Files.deleteIfExists(logFile);
        } catch (IOException e) {
            LOG.debug("cannot remove mosquitto's temporary files: {}", e.toString());
        }
    }
}
