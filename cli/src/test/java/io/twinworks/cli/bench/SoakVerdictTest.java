package io.twinworks.cli.bench;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SoakVerdictTest {

    private static final long MB = 1024L * 1024;

    private static SoakLedger ledgerWithAllOf(long[] perDevice) {
        SoakLedger ledger = new SoakLedger(perDevice.length);
        for (int device = 0; device < perDevice.length; device++) {
            for (long seq = 1; seq <= perDevice[device]; seq++) {
                ledger.applied(device, seq);
            }
        }
        return ledger;
    }

    @Test
    void roundRobinGivesTheFirstDevicesOneMoreReading() {
        assertThat(SoakLedger.roundRobin(7, 3)).containsExactly(3, 2, 2);
        assertThat(SoakLedger.roundRobin(6, 3)).containsExactly(2, 2, 2);
        assertThat(SoakLedger.roundRobin(0, 2)).containsExactly(0, 0);
    }

    @Test
    void everyPublishedReadingAppliedIsExactlyZeroLost() {
        SoakLedger ledger = ledgerWithAllOf(SoakLedger.roundRobin(10, 3));

        SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(10, 10, 0, ledger);

        assertThat(delivery.lost()).isZero();
        assertThat(delivery.exact()).isTrue();
        assertThat(delivery.conclusive()).isTrue();
    }

    @Test
    void anAcknowledgedReadingNeverAppliedIsLostAndNamedBySequenceNumber() {
        SoakLedger ledger = ledgerWithAllOf(SoakLedger.roundRobin(10, 3));
        SoakLedger missingOne = new SoakLedger(3);
        // device 1 published seq 1..3; its seq 2 never arrives
        for (int device = 0; device < 3; device++) {
            for (long seq = 1; seq <= SoakLedger.roundRobin(10, 3)[device]; seq++) {
                if (!(device == 1 && seq == 2)) {
                    missingOne.applied(device, seq);
                }
            }
        }

        SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(10, 10, 0, missingOne);

        assertThat(delivery.lost()).isEqualTo(1);
        assertThat(delivery.exact()).isTrue();
        assertThat(delivery.sample()).containsExactly("1#2");
        assertThat(SoakVerdict.Delivery.of(10, 10, 0, ledger).lost()).isZero();
    }

    @Test
    void theLastReadingOfADeviceMissingIsLossToo() {
        long[] published = SoakLedger.roundRobin(9, 3);
        SoakLedger ledger = ledgerWithAllOf(new long[]{published[0], published[1], published[2] - 1});

        SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(9, 9, 0, ledger);

        assertThat(delivery.lost()).isEqualTo(1);
        assertThat(delivery.sample()).containsExactly("2#3");
    }

    @Test
    void missingReadingsThatMayBeTheUnacknowledgedOnesProveNeitherLossNorNone() {
        long[] published = SoakLedger.roundRobin(9, 3);
        SoakLedger ledger = ledgerWithAllOf(new long[]{published[0], published[1], published[2] - 1});

        SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(9, 8, 0, ledger);

        assertThat(delivery.lost()).isZero();
        assertThat(delivery.conclusive()).isFalse();
        assertThat(delivery.exact()).isFalse();
    }

    @Test
    void moreMissingThanUnacknowledgedIsProvenLossAsALowerBound() {
        SoakLedger ledger = ledgerWithAllOf(new long[]{3, 1, 1});

        SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(9, 8, 0, ledger);

        assertThat(delivery.missing()).isEqualTo(4);
        assertThat(delivery.lost()).isEqualTo(3);
        assertThat(delivery.conclusive()).isTrue();
        assertThat(delivery.exact()).isFalse();
    }

    @Test
    void afterFailedPublishesAcknowledgedBeyondAppliedIsLost() {
        SoakLedger ledger = ledgerWithAllOf(new long[]{2, 2});

        assertThat(SoakVerdict.Delivery.of(6, 5, 1, ledger).lost()).isEqualTo(1);
        SoakVerdict.Delivery unproven = SoakVerdict.Delivery.of(6, 4, 2, ledger);
        assertThat(unproven.lost()).isZero();
        assertThat(unproven.conclusive()).isFalse();
    }

    @Test
    void aDrainCutShortMakesMissingReadingsInconclusiveNotLost() {
        SoakLedger ledger = ledgerWithAllOf(new long[]{1, 1});

        SoakVerdict.Delivery delivery = SoakVerdict.Delivery.of(6, 6, 0, ledger).cutShort(Duration.ofMinutes(10));

        assertThat(delivery.lost()).isZero();
        assertThat(delivery.conclusive()).isFalse();
        assertThat(delivery.missing()).isEqualTo(4);
        assertThat(SoakVerdict.Delivery.of(2, 2, 0, ledger).cutShort(Duration.ofMinutes(1)).conclusive()).isTrue();
    }

    @Test
    void theLedgerCountsDuplicatesDisorderAndForeignEvents() {
        SoakLedger ledger = new SoakLedger(2);
        ledger.applied(0, 2);
        ledger.applied(0, 1);
        ledger.applied(0, 2);
        ledger.applied(5, 1);
        ledger.applied(1, 0);

        assertThat(ledger.counts()).isEqualTo(new SoakLedger.Counts(2, 1, 1, 2));
    }

    private static SoakRow row(double seconds, long acknowledged, long applied, long heapMb) {
        return new SoakRow(seconds, acknowledged, acknowledged, 0, applied, 0, 0, heapMb * MB, 1000 * MB, 0, Double.NaN, 0, -1);
    }

    @Test
    void aFlatHeapAfterTheWarmUpLineIsBounded() {
        // the warm-up line's 50 MB is not a baseline
        SoakVerdict.Heap heap = SoakVerdict.Heap.of(List.of(row(60, 1, 1, 50), row(120, 2, 2, 400), row(180, 3, 3, 410),
                row(240, 4, 4, 405), row(300, 5, 5, 420)));

        assertThat(heap.judged()).isTrue();
        assertThat(heap.grew()).isFalse();
        assertThat(heap.boundBytes()).isEqualTo(Math.round(0.25 * 405 * MB));
    }

    @Test
    void aHeapGrowingBeyondTheBoundFails() {
        SoakVerdict.Heap heap = SoakVerdict.Heap.of(List.of(row(60, 1, 1, 200), row(120, 2, 2, 200), row(180, 3, 3, 240),
                row(240, 4, 4, 280)));

        assertThat(heap.grew()).isTrue();
        SoakVerdict verdict = new SoakVerdict(SoakVerdict.Delivery.of(0, 0, 0, new SoakLedger(1)), 0, 0, heap,
                SoakVerdict.Throughput.of(1, List.of(row(1, 1, 1, 1))));
        assertThat(verdict.exitCode()).isEqualTo(SoakVerdict.FAILED);
        assertThat(verdict.format()).anySatisfy(line -> assertThat(line).startsWith("heap: GREW"));
    }

    @Test
    void tooFewLinesAreNotJudgedAndSmallGrowthIsWithinTheFloor() {
        assertThat(SoakVerdict.Heap.of(List.of(row(1, 1, 1, 10), row(2, 2, 2, 10), row(3, 3, 3, 10))).judged()).isFalse();
        assertThat(SoakVerdict.Heap.of(List.of(row(1, 1, 1, 10), row(2, 2, 2, 10), row(3, 3, 3, 30), row(4, 4, 4, 40))).grew())
                .isFalse();
    }

    @Test
    void aGrowingBacklogIsBackPressureNotLoss() {
        SoakVerdict.Throughput throughput = SoakVerdict.Throughput.of(1000, List.of(row(60, 60_000, 50_000, 1),
                row(120, 119_000, 60_000, 1)));
        SoakVerdict verdict = new SoakVerdict(SoakVerdict.Delivery.of(0, 0, 0, new SoakLedger(1)), 0, 0,
                SoakVerdict.Heap.of(List.of()), throughput);

        assertThat(throughput.keptUp()).isFalse();
        assertThat(throughput.lastBacklog()).isEqualTo(59_000);
        assertThat(verdict.exitCode()).isEqualTo(SoakVerdict.COULD_NOT_KEEP_UP);
    }

    @Test
    void lossOrDisorderFailsEvenWhenTheStackKeptUp() {
        SoakLedger ledger = ledgerWithAllOf(new long[]{1});
        SoakVerdict.Throughput keptUp = SoakVerdict.Throughput.of(1, List.of(row(2, 2, 2, 1)));
        SoakVerdict.Heap heap = SoakVerdict.Heap.of(List.of());

        assertThat(keptUp.keptUp()).isTrue();
        assertThat(new SoakVerdict(SoakVerdict.Delivery.of(2, 2, 0, ledger), 0, 0, heap, keptUp).exitCode())
                .isEqualTo(SoakVerdict.FAILED);
        assertThat(new SoakVerdict(SoakVerdict.Delivery.of(1, 1, 0, ledger), 1, 0, heap, keptUp).exitCode())
                .isEqualTo(SoakVerdict.FAILED);
        assertThat(new SoakVerdict(SoakVerdict.Delivery.of(1, 1, 0, ledger), 0, 1, heap, keptUp).exitCode())
                .isEqualTo(SoakVerdict.FAILED);
        assertThat(new SoakVerdict(SoakVerdict.Delivery.of(1, 1, 0, ledger), 0, 0, heap, keptUp).exitCode())
                .isEqualTo(SoakVerdict.PASSED);
    }

    @Test
    void theSequenceNumberIsFoundWhateverPathTheChangeHas() {
        JsonObject features = new JsonObject().put("vibration", new JsonObject().put("properties",
                new JsonObject().put("rms", 1.2).put("seq", 42)));

        assertThat(seqOf("/features", features)).isEqualTo(42);
        assertThat(seqOf("/", new JsonObject().put("features", features))).isEqualTo(42);
        assertThat(seqOf("/features/vibration/properties/seq", 7)).isEqualTo(7);
    }

    @Test
    void aChangeElsewhereOrNotReachingTheSequenceNumberCarriesNone() {
        assertThat(seqOf("/features/predictions", new JsonObject().put("properties", new JsonObject()))).isNull();
        assertThat(seqOf("/features", new JsonObject().put("vibration", "broken"))).isNull();
        assertThat(seqOf("/features/vibration/properties/seqX", 3)).isNull();
        assertThat(seqOf("/features/vibration/properties/seq/deeper", 3)).isNull();
        assertThat(seqOf("/attributes", new JsonObject().put("features", new JsonObject()))).isNull();
        assertThat(seqOf("/features/vibration", null)).isNull();
    }

    @Test
    void theBookingCountsEventsOfUnknownThingsAndUndecodableTextAsForeignAndIgnoresChangesWithoutAReading() {
        SoakLedger ledger = new SoakLedger(2);
        TwinEventSubscriber.Listener booking = SoakBench.booking(ledger, Map.of("plant.a:pump-1", 0, "plant.a:pump-2", 1));

        booking.onEvent(event("plant.a:pump-1", "/features/vibration/properties/seq", 5));
        booking.onEvent(event("plant.a:pump-2", "/features/predictions/properties", new JsonObject().put("score", 0.1)));
        booking.onEvent(event("plant.b:other", "/features/vibration/properties/seq", 0));
        booking.onUndecodable("not json");

        SoakLedger.Counts counts = ledger.counts();
        assertThat(counts.distinct()).isEqualTo(1);
        assertThat(counts.foreign()).isEqualTo(2);
    }

    private static Object seqOf(String path, Object value) {
        return event("plant.a:pump-1", path, value).valueAt("/features/vibration/properties/seq");
    }

    private static TwinEventSubscriber.TwinEvent event(String thingId, String path, Object value) {
        return new TwinEventSubscriber.TwinEvent(thingId, path, value, 1, 0);
    }

    @Test
    void optionsOutsideTheirRangesAreRefused() {
        Duration minute = Duration.ofMinutes(1);
        assertThatThrownBy(() -> new SoakOptions(0, 1, 0, minute, minute, Duration.ofSeconds(5), 60, minute))
                .hasMessageContaining("--devices");
        assertThatThrownBy(() -> new SoakOptions(10, 0, 0, minute, minute, Duration.ofSeconds(5), 60, minute))
                .hasMessageContaining("--rate");
        assertThatThrownBy(() -> new SoakOptions(10, 1, 11, minute, minute, Duration.ofSeconds(5), 60, minute))
                .hasMessageContaining("--gateways");
        assertThatThrownBy(() -> new SoakOptions(10, 1, 1, minute, Duration.ofMinutes(2), Duration.ofSeconds(5), 60, minute))
                .hasMessageContaining("report interval");
        assertThatThrownBy(() -> new SoakOptions(10, 1, 1, minute, minute, Duration.ofMinutes(2), 60, minute))
                .hasMessageContaining("drain");
    }
}
