package io.twinworks.cli;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OverflowPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AdapterCommandTest {

    @TempDir
    Path dir;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine command = TwinworksCommand.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        return command.execute(args);
    }

    private Path config(int httpPort) throws Exception {
        return Files.writeString(dir.resolve("adapter.yaml"), """
                hono: {uri: "tcp://127.0.0.1:1", tenant: plant.a, authId: gw-1, password: gw-secret, deviceId: "plant.a:gw-1", gateway: true}
                outbox: {file: %s}
                http: {host: 127.0.0.1, port: %d}
                serial:
                  ports:
                    - path: /dev/ttyUSB9
                      thingId: plant.a:pump-1
                      codec: {type: csv, columns: [temperature/value]}
                """.formatted(dir.resolve("outbox.db"), httpPort));
    }

    private void outboxWithOneDeadLetter() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL,
                new SimpleMeterRegistry())) {
            long stray = outbox.append("plant.a:stray", "telemetry/plant.a/plant.a:stray", 1,
                    seq -> "{}".getBytes(StandardCharsets.UTF_8)).id();
            outbox.deadLetter(stray, "Hono refused it: not registered behind gw-1");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void deadLettersAreListedWithTheirReason() throws Exception {
        outboxWithOneDeadLetter();

        assertThat(run("adapter", "dead-letters", "--config", config(freePort()).toString())).isZero();

        assertThat(out.toString()).contains("1 dead letter(s), 0 message(s) waiting")
                .contains("plant.a:stray seq 1 on telemetry/plant.a/plant.a:stray")
                .contains("not registered behind gw-1");
    }

    @Test
    void requeuePutsThemBackForDelivery() throws Exception {
        outboxWithOneDeadLetter();

        assertThat(run("adapter", "dead-letters", "--config", config(freePort()).toString(), "--requeue")).isZero();

        assertThat(out.toString()).contains("put back for delivery: 1");
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL,
                new SimpleMeterRegistry())) {
            assertThat(outbox.size()).isEqualTo(1);
            assertThat(outbox.deadLetterCount()).isZero();
        }
    }

    @Test
    void requeueIsRefusedWhileAnAdapterAnswersOnItsPort() throws Exception {
        outboxWithOneDeadLetter();
        try (ServerSocket runningAdapter = new ServerSocket(0)) {
            assertThat(run("adapter", "dead-letters", "--config", config(runningAdapter.getLocalPort()).toString(),
                    "--requeue")).isEqualTo(1);
        }
        assertThat(err.toString()).contains("stop it before --requeue");
    }

    @Test
    void aMissingOutboxIsAnErrorNamingThePath() throws Exception {
        assertThat(run("adapter", "dead-letters", "--config", config(freePort()).toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no outbox at").contains("outbox.db");
    }

    @Test
    void anUnknownKindIsRefusedWithTheKnownOnes() throws Exception {
        assertThat(run("adapter", "modbus", "--config", config(freePort()).toString())).isEqualTo(2);
        assertThat(err.toString()).contains("serial, mqtt or dead-letters");
    }

    @Test
    void anAdapterRunForAGivenTimeStartsReportsItsPortAndStopsFreeingIt() throws Exception {
        assertThat(run("adapter", "serial", "--config", config(0).toString(), "--for", "1")).isZero();

        assertThat(out.toString()).contains("twinworks: serial adapter up: Hono tcp://127.0.0.1:1 as gw-1@plant.a")
                .contains("Stops by itself after 1 s.");
        java.util.regex.Matcher bound = java.util.regex.Pattern.compile("/health and /metrics on port (\\d+)")
                .matcher(out.toString());
        assertThat(bound.find()).as("the bound port is reported").isTrue();
        int port = Integer.parseInt(bound.group(1));
        assertThat(port).isPositive();
        try (ServerSocket again = new ServerSocket(port)) {
            assertThat(again.getLocalPort()).as("the stopped adapter released its HTTP port").isEqualTo(port);
        }
    }

    @Test
    void anAdapterThatCannotStartExitsWithOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThat(run("adapter", "serial", "--config", config(taken.getLocalPort()).toString(), "--for", "5"))
                    .isEqualTo(1);
        }
        assertThat(out.toString()).doesNotContain("adapter up");
    }
}
