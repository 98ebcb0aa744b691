package io.twinworks.localstack.ditto.connectivity;

import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.things.model.signals.commands.modify.MergeThing;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The mapper on what {@code bench ingest} sends (ten devices, 256-byte padded merges of their vibration
 * properties), many times over: every record becomes its device's merge, and the thread CPU per record is
 * printed for comparing versions of the mapper (never asserted: timings on a shared machine are no test).
 * {@code -Dtwinworks.mapperCpu.records=N} sets the records measured (default 20,000, after as many to warm up).
 */
class HonoRecordMapperCpuTest {

    private static final int DEVICES = 10;
    private static final int PAYLOAD_BYTES = 256;
    private static final JsonPointer PROPERTIES_PATH = JsonPointer.of("/features/vibration/properties");

    @Test
    void benchMessagesOfTenDevicesAllBecomeTheirDevicesMergeAndTheCpuPerRecordIsPrinted() {
        int records = Integer.getInteger("twinworks.mapperCpu.records", 20_000);
        HonoRecordMapper mapper = new HonoRecordMapper(new HonoConnectionSettings("localhost:9092", "group",
                List.of("pre-authenticated:hono-connection")).authorizationContext(), Clock.systemUTC());
        List<ConsumerRecord<String, byte[]>> batch = new ArrayList<>();
        for (int seq = 0; seq < 1_000; seq++) {
            batch.add(benchRecord("plant.a:pump-" + (seq % DEVICES + 1), seq));
        }

        map(mapper, batch, records);   // warm-up: the JIT compiles the path
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuBefore = threads.getCurrentThreadCpuTime();
        map(mapper, batch, records);
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuBefore;

        System.out.printf(Locale.ROOT, "HonoRecordMapper.map on bench records: %.2f us thread CPU per record over %d"
                + " records (load average %s)%n", cpuNanos / 1_000.0 / records, records,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static void map(HonoRecordMapper mapper, List<ConsumerRecord<String, byte[]>> batch, int records) {
        for (int i = 0; i < records; i++) {
            ConsumerRecord<String, byte[]> record = batch.get(i % batch.size());
            RecordMapping mapping = mapper.map(record);
            if (!(mapping instanceof RecordMapping.Apply apply)
                    || !(apply.command() instanceof MergeThing merge)
                    || !merge.getEntityId().toString().equals(record.key())
                    || !merge.getPath().equals(PROPERTIES_PATH)) {
                // asserted only on a wrong outcome, so that AssertJ costs nothing in the measured loop
                assertThat(mapping).as(record.key()).isInstanceOf(RecordMapping.Apply.class);
                assertThat(((RecordMapping.Apply) mapping).command()).isInstanceOf(MergeThing.class);
                throw new AssertionError("not the device's properties merge: " + mapping);
            }
        }
    }

    /** As {@code BenchMessage.mergeCommand} writes it: the envelope padded with spaces to 256 bytes. */
    private static ConsumerRecord<String, byte[]> benchRecord(String device, long seq) {
        String json = "{\"topic\":\"" + device.replace(':', '/') + "/things/twin/commands/merge\","
                + "\"headers\":{\"content-type\":\"application/merge-patch+json\"},"
                + "\"path\":\"/features/vibration/properties\",\"value\":{\"rms\":"
                + String.format(Locale.ROOT, "%.3f", 2.0 + (seq % 10) * 0.01)
                + ",\"seq\":" + seq + ",\"ts\":\"2026-12-07T05:39:13.540123456Z\"}}";
        byte[] payload = (json + " ".repeat(Math.max(0, PAYLOAD_BYTES - json.length())))
                .getBytes(StandardCharsets.US_ASCII);
        ProducerRecord<String, byte[]> produced = HonoRecords.downstream(HonoTopic.Type.TELEMETRY, "plant.a",
                device, "application/vnd.eclipse.ditto+json", 1, null, "telemetry", false, payload,
                System.currentTimeMillis());
        return new ConsumerRecord<>(produced.topic(), 0, seq, 0L, TimestampType.CREATE_TIME,
                -1, -1, produced.key(), produced.value(), produced.headers(), Optional.empty());
    }
}
