package io.twinworks.adapters;

import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's mosquitto as the plant broker (MQTT 5), with persistence so sessions and queued QoS 1
 * messages survive a restart ({@code user} is the current user: started as root, mosquitto would
 * otherwise drop to user mosquitto and fail to write its database), on a fixed free port so it can be restarted under the same address.
 */
public final class Mosquitto implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process process;

    public Mosquitto(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        this.port = StackFixture.freePort();
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence true
                persistence_location %s/
                autosave_interval 1
                autosave_on_changes true
                max_queued_messages 0
                user %s
                """.formatted(port, dir, System.getProperty("user.name")));
    }

    /** Fails loudly (never skips) when mosquitto is missing. */
    public static void requireMosquitto() throws Exception {
        Process which = new ProcessBuilder("sh", "-c", "command -v mosquitto").start();
        assertThat(which.waitFor()).as("mosquitto is required (apt-get install mosquitto; ./run-tests installs it)").isZero();
    }

    /** Starts the broker and waits until it accepts connections. */
    public Mosquitto start() throws Exception {
        requireMosquitto();
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return this;
            } catch (java.io.IOException notYet) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    /** Stops the broker (SIGTERM: it saves its persistence file). */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
