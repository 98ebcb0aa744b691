package io.twinworks.localstack.ditto;

import io.twinworks.localstack.ditto.model.StoreChange;
import io.twinworks.localstack.ditto.model.StoredThing;
import io.twinworks.localstack.ditto.store.TwinStore;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.things.model.ThingId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A committed twin change survives {@code kill -9} of the process that wrote it. */
class TwinStoreKillTest {

    @TempDir
    Path stateDir;

    /** Child process: commits revisions 1..N of one thing, printing "ACK n" after each commit, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        TwinStore store = TwinStore.open(Path.of(args[0]));
        ThingId thingId = ThingId.of("plant.a:crash");
        for (int revision = 1; revision <= 50; revision++) {
            Instant now = Instant.now();
            store.commit(List.of(new StoreChange.PutThing(new StoredThing(thingId,
                    JsonFactory.newObject("{\"thingId\":\"plant.a:crash\",\"policyId\":\"plant.a:crash\","
                            + "\"attributes\":{\"n\":" + revision + "}}"), revision, now, now, false))));
            System.out.println("ACK " + revision);
            System.out.flush();
        }
        Thread.sleep(60_000);
    }

    @Test
    void everyAcknowledgedCommitIsThereAfterKillMinus9() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TwinStoreKillTest.class.getName(), stateDir.toString())
                .redirectErrorStream(true).start();
        long lastAcknowledged = 0;
        try (BufferedReader output = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = output.readLine()) != null) {
                if (line.startsWith("ACK ")) {
                    lastAcknowledged = Long.parseLong(line.substring(4));
                    if (lastAcknowledged == 50) {
                        break;
                    }
                }
            }
            child.destroyForcibly();   // SIGKILL on Linux: no shutdown hooks, no close
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(lastAcknowledged).isEqualTo(50);
        try (TwinStore reopened = TwinStore.open(stateDir)) {
            Optional<StoredThing> thing = reopened.findThing(ThingId.of("plant.a:crash"));
            assertThat(thing).isPresent();
            assertThat(thing.get().revision()).isEqualTo(50);
            assertThat(thing.get().json().getValue("attributes/n")).hasValueSatisfying(
                    value -> assertThat(value.asInt()).isEqualTo(50));
        }
    }
}
