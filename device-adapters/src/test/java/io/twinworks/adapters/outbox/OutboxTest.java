package io.twinworks.adapters.outbox;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OutboxTest {

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private Outbox open(int max, OverflowPolicy policy) {
        return Outbox.open(dir.resolve("outbox.db"), max, policy, Outbox.SyncMode.NORMAL, new SimpleMeterRegistry());
    }

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesComeBackOldestFirstWithPerDeviceSequenceNumbers() throws Exception {
        try (Outbox outbox = open(100, OverflowPolicy.REJECT_NEW)) {
            outbox.append("ns:a", "telemetry", 1, seq -> text("a" + seq));
            outbox.append("ns:b", "telemetry", 0, seq -> text("b" + seq));
            outbox.append("ns:a", "event", 1, seq -> text("a" + seq));

            List<OutboxMessage> messages = outbox.next(0, 10);

            assertThat(messages).extracting(OutboxMessage::deviceId).containsExactly("ns:a", "ns:b", "ns:a");
            assertThat(messages).extracting(OutboxMessage::seq).containsExactly(1L, 1L, 2L);
            assertThat(messages).extracting(m -> new String(m.payload(), StandardCharsets.UTF_8)).containsExactly("a1", "b1", "a2");
            assertThat(messages.get(1).qos()).isZero();
            assertThat(messages.get(2).topic()).isEqualTo("event");
            assertThat(outbox.next(messages.get(0).id(), 10)).hasSize(2);
        }
    }

    @Test
    void removedMessagesAreGoneAndUnknownIdsAreIgnored() throws Exception {
        try (Outbox outbox = open(100, OverflowPolicy.REJECT_NEW)) {
            OutboxMessage first = outbox.append("ns:a", "telemetry", 1, seq -> text("x"));
            OutboxMessage second = outbox.append("ns:a", "telemetry", 1, seq -> text("y"));

            outbox.remove(List.of(first.id(), 999_999L));

            assertThat(outbox.size()).isEqualTo(1);
            assertThat(outbox.next(0, 10)).extracting(OutboxMessage::id).containsExactly(second.id());
        }
    }

    @Test
    void storedMessagesAndSequenceNumbersSurviveReopening() throws Exception {
        try (Outbox outbox = open(100, OverflowPolicy.REJECT_NEW)) {
            OutboxMessage first = outbox.append("ns:a", "telemetry", 1, seq -> text("1"));
            outbox.append("ns:a", "telemetry", 1, seq -> text("2"));
            outbox.remove(List.of(first.id()));
        }
        try (Outbox reopened = open(100, OverflowPolicy.REJECT_NEW)) {
            assertThat(reopened.size()).isEqualTo(1);
            assertThat(reopened.next(0, 10)).extracting(OutboxMessage::seq).containsExactly(2L);
            assertThat(reopened.append("ns:a", "telemetry", 1, seq -> text("3")).seq()).isEqualTo(3L);
            assertThat(reopened.lastSeq("ns:a")).isEqualTo(3L);
            assertThat(reopened.lastSeq("ns:unknown")).isZero();
        }
    }

    @Test
    void sequenceNumbersKeepGrowingWhenTheOutboxIsEmptied() throws Exception {
        try (Outbox outbox = open(100, OverflowPolicy.REJECT_NEW)) {
            OutboxMessage first = outbox.append("ns:a", "telemetry", 1, seq -> text("1"));
            outbox.remove(List.of(first.id()));
            assertThat(outbox.append("ns:a", "telemetry", 1, seq -> text("2")).seq()).isEqualTo(2L);
        }
    }

    @Test
    void aFullOutboxWithRejectNewRefusesTheNewMessageAndKeepsTheStoredOnes() throws Exception {
        try (Outbox outbox = open(2, OverflowPolicy.REJECT_NEW)) {
            outbox.append("ns:a", "telemetry", 1, seq -> text("1"));
            outbox.append("ns:a", "telemetry", 1, seq -> text("2"));

            assertThatThrownBy(() -> outbox.append("ns:a", "telemetry", 1, seq -> text("3")))
                    .isInstanceOf(OutboxFullException.class)
                    .hasMessageContaining("bound 2").hasMessageContaining("reject-new");

            assertThat(outbox.next(0, 10)).extracting(OutboxMessage::seq).containsExactly(1L, 2L);
            // a refused message consumes no sequence number
            assertThat(outbox.lastSeq("ns:a")).isEqualTo(2L);
        }
    }

    @Test
    void aFullOutboxWithDropOldestDropsTheOldestAndCountsIt() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("o.db"), 2, OverflowPolicy.DROP_OLDEST, Outbox.SyncMode.FULL, meters)) {
            outbox.append("ns:a", "telemetry", 1, seq -> text("1"));
            outbox.append("ns:a", "telemetry", 1, seq -> text("2"));
            outbox.append("ns:a", "telemetry", 1, seq -> text("3"));

            assertThat(outbox.size()).isEqualTo(2);
            assertThat(outbox.next(0, 10)).extracting(OutboxMessage::seq).containsExactly(2L, 3L);
            assertThat(meters.get("adapter.outbox.overflow").tag("policy", "drop-oldest").counter().count()).isEqualTo(1.0);
            assertThat(meters.get("adapter.outbox.messages").gauge().value()).isEqualTo(2.0);
        }
    }

    @Test
    void aPayloadBuilderThatFailsStoresNothingAndConsumesNoSequenceNumber() throws Exception {
        try (Outbox outbox = open(10, OverflowPolicy.REJECT_NEW)) {
            assertThatThrownBy(() -> outbox.append("ns:a", "telemetry", 1, seq -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(OutboxException.class).hasMessageContaining("boom");

            assertThat(outbox.size()).isZero();
            assertThat(outbox.append("ns:a", "telemetry", 1, seq -> text("ok")).seq()).isEqualTo(1L);
        }
    }

    @Test
    void anUnreadableDatabaseFileFailsOpeningWithTheFileNamed() throws Exception {
        Path notADatabase = dir.resolve("garbage.db");
        Files.write(notADatabase, new byte[]{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});

        assertThatThrownBy(() -> Outbox.open(notADatabase, 10, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL, meters))
                .isInstanceOf(OutboxException.class).hasMessageContaining("garbage.db");
    }

    @Test
    void theAppendListenerRunsAfterEachAppend() throws Exception {
        try (Outbox outbox = open(10, OverflowPolicy.REJECT_NEW)) {
            int[] calls = {0};
            outbox.onAppended(() -> calls[0]++);
            outbox.append("ns:a", "telemetry", 1, seq -> text("1"));
            outbox.append("ns:a", "telemetry", 1, seq -> text("2"));
            assertThat(calls[0]).isEqualTo(2);
        }
    }

    @Test
    void aDeadLetteredMessageLeavesDeliveryButIsKeptWithItsReasonAcrossReopening() throws Exception {
        long stray;
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL, meters)) {
            outbox.append("ns:a", "telemetry", 1, seq -> text("a"));
            stray = outbox.append("ns:stray", "telemetry", 1, seq -> text("s")).id();
            outbox.append("ns:a", "telemetry", 1, seq -> text("b"));

            assertThat(outbox.deadLetter(stray, "refused by Hono")).isTrue();

            assertThat(outbox.size()).isEqualTo(2);
            assertThat(outbox.next(0, 10)).extracting(OutboxMessage::deviceId).containsExactly("ns:a", "ns:a");
            assertThat(outbox.deadLetterCount()).isEqualTo(1);
            assertThat(meters.get("adapter.outbox.dead.lettered").counter().count()).isEqualTo(1.0);
            assertThat(meters.get("adapter.outbox.dead.letters").gauge().value()).isEqualTo(1.0);
        }
        try (Outbox reopened = open(100, OverflowPolicy.REJECT_NEW)) {
            assertThat(reopened.deadLetterCount()).isEqualTo(1);
            assertThat(reopened.size()).isEqualTo(2);
        }
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("outbox.db"));
             var rows = db.createStatement().executeQuery("SELECT id, device_id, reason, payload FROM dead_letters")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong("id")).isEqualTo(stray);
            assertThat(rows.getString("device_id")).isEqualTo("ns:stray");
            assertThat(rows.getString("reason")).isEqualTo("refused by Hono");
            assertThat(new String(rows.getBytes("payload"), StandardCharsets.UTF_8)).isEqualTo("s");
        }
    }

    @Test
    void deadLetteringAMessageNoLongerStoredChangesNothing() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL, meters)) {
            OutboxMessage message = outbox.append("ns:a", "telemetry", 1, seq -> text("a"));
            outbox.remove(List.of(message.id()));

            assertThat(outbox.deadLetter(message.id(), "too late")).isFalse();
            assertThat(outbox.deadLetter(424_242L, "unknown")).isFalse();

            assertThat(outbox.deadLetterCount()).isZero();
            assertThat(outbox.size()).isZero();
        }
    }

    @Test
    void theOldestMessagesAgeIsZeroWhenEmptyAndGrowsWhileItWaits() throws Exception {
        try (Outbox outbox = Outbox.open(dir.resolve("outbox.db"), 100, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL, meters)) {
            assertThat(outbox.oldestAgeMillis()).isZero();
            OutboxMessage oldest = outbox.append("ns:a", "telemetry", 1, seq -> text("a"));

            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> meters.get("adapter.outbox.oldest.age").gauge().value() >= 0.2);
            outbox.append("ns:a", "telemetry", 1, seq -> text("b"));
            long ageWithTwo = outbox.oldestAgeMillis();
            assertThat(ageWithTwo).as("the age is the oldest message's").isGreaterThanOrEqualTo(200);

            outbox.remove(List.of(oldest.id()));
            assertThat(outbox.oldestAgeMillis()).isLessThan(ageWithTwo);
        }
    }

    @Test
    void anOutboxWrittenBeforeTheStoredAtColumnOpensWithItsMessagesAndAnAge() throws Exception {
        Path old = dir.resolve("old.db");
        try (var db = java.sql.DriverManager.getConnection("jdbc:sqlite:" + old); var statement = db.createStatement()) {
            statement.execute("CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, device_id TEXT NOT NULL,"
                    + " seq INTEGER NOT NULL, topic TEXT NOT NULL, qos INTEGER NOT NULL, payload BLOB NOT NULL)");
            statement.execute("INSERT INTO messages (device_id, seq, topic, qos, payload) VALUES ('ns:a', 7, 'telemetry', 1, x'41')");
        }
        try (Outbox outbox = Outbox.open(old, 100, OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL, meters)) {
            assertThat(outbox.size()).isEqualTo(1);
            assertThat(outbox.next(0, 10)).extracting(OutboxMessage::seq).containsExactly(7L);
            assertThat(outbox.oldestAgeMillis()).isBetween(0L, 60_000L);
            outbox.append("ns:a", "telemetry", 1, seq -> text("b"));
            assertThat(outbox.size()).isEqualTo(2);
        }
    }

    @Test
    void aSourceKeyStoredWithAMessageIsKnownAfterReopeningAndOthersAreNot() throws Exception {
        try (Outbox outbox = open(100, OverflowPolicy.REJECT_NEW)) {
            outbox.append("ns:a", "telemetry", 1, seq -> text("a"), "key-1");
            outbox.append("ns:a", "telemetry", 1, seq -> text("b"));
            assertThat(outbox.hasReceipt("key-1")).isTrue();
            assertThat(outbox.hasReceipt("key-2")).isFalse();
        }
        try (Outbox reopened = open(100, OverflowPolicy.REJECT_NEW)) {
            assertThat(reopened.hasReceipt("key-1")).as("survives a crash/restart with the message").isTrue();
        }
    }

    @Test
    void aRefusedAppendRecordsNoSourceKey() throws Exception {
        try (Outbox outbox = open(1, OverflowPolicy.REJECT_NEW)) {
            outbox.append("ns:a", "telemetry", 1, seq -> text("a"), "key-1");
            assertThatThrownBy(() -> outbox.append("ns:a", "telemetry", 1, seq -> text("b"), "key-2"))
                    .isInstanceOf(OutboxFullException.class);
            assertThat(outbox.hasReceipt("key-2")).isFalse();
        }
    }

    @Test
    void onlyTheNewestSourceKeysAreKept() throws Exception {
        try (Outbox outbox = open(100_000, OverflowPolicy.DROP_OLDEST)) {
            int total = Outbox.KEPT_RECEIPTS + 2_000;
            for (int i = 0; i < total; i++) {
                int n = i;
                outbox.append("ns:a", "telemetry", 0, seq -> text("x"), "key-" + n);
            }
            assertThat(outbox.hasReceipt("key-0")).isFalse();
            assertThat(outbox.hasReceipt("key-" + (total - 1))).isTrue();
            assertThat(outbox.hasReceipt("key-" + (total - Outbox.KEPT_RECEIPTS))).isTrue();
        }
    }

    @Test
    void requeuedDeadLettersComeBackAtTheEndWithTheirSequenceNumbers() throws Exception {
        try (Outbox outbox = open(100, OverflowPolicy.REJECT_NEW)) {
            OutboxMessage stray = outbox.append("ns:stray", "telemetry/t/ns:stray", 1, seq -> text("s"));
            outbox.append("ns:a", "telemetry", 1, seq -> text("a"));
            outbox.deadLetter(stray.id(), "not registered behind the gateway");

            assertThat(outbox.deadLetters(10)).singleElement().satisfies(letter -> {
                assertThat(letter.deviceId()).isEqualTo("ns:stray");
                assertThat(letter.reason()).isEqualTo("not registered behind the gateway");
                assertThat(letter.deadLetteredAt()).isGreaterThanOrEqualTo(letter.storedAt());
            });

            assertThat(outbox.requeueDeadLetters()).isEqualTo(1);

            assertThat(outbox.deadLetterCount()).isZero();
            assertThat(outbox.deadLetters(10)).isEmpty();
            assertThat(outbox.size()).isEqualTo(2);
            assertThat(outbox.next(0, 10)).extracting(OutboxMessage::deviceId, OutboxMessage::seq, OutboxMessage::topic)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("ns:a", 1L, "telemetry"),
                            org.assertj.core.groups.Tuple.tuple("ns:stray", 1L, "telemetry/t/ns:stray"));
            assertThat(outbox.requeueDeadLetters()).as("nothing left").isZero();
        }
    }
}
