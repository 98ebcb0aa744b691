package io.twinworks.cli.bench;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchDirectoryTest {

    @Test
    void closeDeletesTheDirectoryWithNestedFiles() throws Exception {
        ScratchDirectory scratch = ScratchDirectory.create("twinworks-test-");
        Path nested = Files.createDirectories(scratch.path().resolve("kafka/topic-0"));
        Files.writeString(nested.resolve("00000.log"), "records");

        scratch.close();

        assertThat(scratch.path()).doesNotExist();
    }

    @Test
    void aSecondCloseDoesNothing() throws Exception {
        ScratchDirectory scratch = ScratchDirectory.create("twinworks-test-");
        scratch.close();

        scratch.close();

        assertThat(scratch.path()).doesNotExist();
    }

    @Test
    void closeCopesWithTheDirectoryAlreadyGone() throws Exception {
        ScratchDirectory scratch = ScratchDirectory.create("twinworks-test-");
        Files.delete(scratch.path());

        scratch.close();

        assertThat(scratch.path()).doesNotExist();
    }

    @Test
    void aJvmStoppedWithSigtermBeforeCloseStillDeletesTheDirectory() throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ScratchDirectoryHolder.class.getName())
                .redirectErrorStream(true).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            Path held = Path.of(lines.readLine());
            assertThat(held.resolve("state/file")).exists();

            holder.destroy(); // SIGTERM, as Ctrl-C's SIGINT: shutdown hooks run

            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(held).doesNotExist();
        } finally {
            holder.destroyForcibly();
        }
    }

    /** Creates a scratch directory with a file, prints its path and waits to be killed. */
    public static final class ScratchDirectoryHolder {
        public static void main(String[] args) throws Exception {
            ScratchDirectory scratch = ScratchDirectory.create("twinworks-test-holder-");
            Files.createDirectories(scratch.path().resolve("state"));
            Files.writeString(scratch.path().resolve("state/file"), "x");
            System.out.println(scratch.path());
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5));
        }
    }
}
