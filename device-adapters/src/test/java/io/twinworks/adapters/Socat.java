package io.twinworks.adapters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pty pair made by Debian's {@code socat}: the adapter opens {@link #adapterEnd()}, the test plays
 * the device on {@link #deviceEnd()}. Stopping socat is "unplugging" the port.
 */
public final class Socat implements AutoCloseable {

    private final Path adapterEnd;
    private final Path deviceEnd;
    private Process process;

    public Socat(Path dir) {
        this.adapterEnd = dir.resolve("ttyAdapter");
        this.deviceEnd = dir.resolve("ttyDevice");
    }

    /** Fails loudly (never skips) when socat is missing. */
    public static void requireSocat() throws Exception {
        Process which = new ProcessBuilder("sh", "-c", "command -v socat").start();
        assertThat(which.waitFor()).as("socat is required (apt-get install socat; ./run-tests installs it)").isZero();
    }

    /** Starts socat and waits until both links exist. */
    public Socat start() throws Exception {
        requireSocat();
        Files.deleteIfExists(adapterEnd);
        Files.deleteIfExists(deviceEnd);
        process = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + adapterEnd, "pty,raw,echo=0,link=" + deviceEnd)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!(Files.exists(adapterEnd) && Files.exists(deviceEnd))) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                throw new IllegalStateException("socat did not create " + adapterEnd + " and " + deviceEnd);
            }
            Thread.sleep(20);
        }
        return this;
    }

    /** The path the adapter opens. */
    public Path adapterEnd() {
        return adapterEnd;
    }

    /** The path the test writes device output to and reads commands from. */
    public Path deviceEnd() {
        return deviceEnd;
    }

    /** Stops socat: both ptys disappear, as when the port is unplugged. */
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    @Override
    public void close() throws InterruptedException, IOException {
        stop();
    }
}
