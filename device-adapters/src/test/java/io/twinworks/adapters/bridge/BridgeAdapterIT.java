package io.twinworks.adapters.bridge;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.adapters.AdapterRuntime;
import io.twinworks.adapters.Mosquitto;
import io.twinworks.adapters.PlantDevice;
import io.twinworks.adapters.StackFixture;
import io.twinworks.adapters.config.AdapterConfig;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;

import static io.twinworks.adapters.StackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The MQTT bridge end to end: Debian mosquitto as the plant broker (MQTT 5), the adapter built from
 * a YAML file as {@code twinworks adapter mqtt} builds it, the local stack as Hono and Ditto.
 */
class BridgeAdapterIT {

    static final String PUMP_1 = "plant.a:pump-1";
    static final String PUMP_2 = "plant.a:pump-2";

    @TempDir
    Path dir;

    private StackFixture stack;
    private Mosquitto plant;
    private final List<AdapterRuntime> adapters = new ArrayList<>();
    private final List<PrometheusMeterRegistry> meters = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Mosquitto.requireMosquitto();
        stack = new StackFixture(dir, List.of(PUMP_1, PUMP_2));
        plant = new Mosquitto(dir.resolve("mosquitto")).start();
    }

    @AfterEach
    void stop() throws Exception {
        for (AdapterRuntime adapter : adapters) {
            await(adapter.stop());
        }
        if (plant != null) {
            plant.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private AdapterRuntime startBridge(String name, String sharedGroup) throws Exception {
        Path config = dir.resolve(name + ".yaml");
        Files.writeString(config, """
                hono:
                  uri: %s
                  tenant: plant.a
                  authId: gw-1
                  password: gw-secret
                  deviceId: plant.a:gw-1
                  gateway: true
                  protocol: "5"
                  reconnectMinMillis: 100
                  reconnectMaxMillis: 1000
                outbox:
                  file: %s
                http:
                  host: 127.0.0.1
                  port: 0
                bridge:
                  uri: %s
                  clientId: %s
                  %s
                  rules:
                    - topic: plant/{line}/{machine}/state
                      thingId: plant.a:{machine}
                      messageId: /n
                      pointers:
                        /temp_f: {feature: temperature, property: value, scale: 0.5555555555555556, offset: -17.77777777777778}
                        /n: counter/n
                        /status/text: {feature: status, property: text, type: string}
                    - topic: plant/{line}/{machine}/rpm
                      thingId: plant.a:{machine}
                      value: speed/rpm
                  commands:
                    setSpeed: {topic: "plant/cmd/{name}/setSpeed", qos: 1}
                """.formatted(stack.mqttUri(), dir.resolve(name + "-outbox.db"), plant.uri(), name,
                sharedGroup == null ? "" : "sharedGroup: " + sharedGroup));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        AdapterRuntime adapter = new AdapterRuntime(stack.vertx, AdapterConfig.load(config, AdapterConfig.Kind.MQTT, Map.of()),
                AdapterConfig.Kind.MQTT, registry);
        await(adapter.start());
        await().atMost(Duration.ofSeconds(20)).until(() -> adapter.health().getString("status").equals("UP"));
        adapters.add(adapter);
        meters.add(registry);
        return adapter;
    }

    private static String state(int n) {
        return "{\"temp_f\":212,\"n\":" + n + ",\"status\":{\"text\":\"running\"},\"extra\":[1,2]}";
    }

    @Test
    void plantMessagesAreMappedByRuleWithJsonPointersAndUnitConversionIntoTheTwin() throws Exception {
        startBridge("bridge-1", null);
        int count = 100;
        try (PlantDevice device = new PlantDevice(plant.uri())) {
            for (int n = 1; n <= count; n++) {
                device.publish("plant/line1/pump-1/state", state(n));
            }
            device.publish("plant/line1/pump-2/rpm", "1450");
        }

        var tally = stack.readNorthbound(Map.of(PUMP_1, count), Duration.ofSeconds(60), true);

        assertThat(tally.numbers(PUMP_1)).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        // one plant publisher, one bridge: Kafka holds the readings in the adapter's order (its seq), each once
        assertThat(tally.telemetryArrivalOrder(PUMP_1)).as("arrival order in Kafka").hasSize(count)
                .containsExactlyElementsOf(tally.seqs(PUMP_1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat((Double) stack.property(PUMP_1, "temperature", "value")).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(stack.property(PUMP_1, "status", "text")).isEqualTo("running");
            assertThat(stack.property(PUMP_2, "speed", "rpm")).isEqualTo(1450);
        });
    }

    /** Reliability (c): the plant broker restarts in the middle of a stream; every reading arrives. */
    @Test
    void aPlantBrokerRestartInTheMiddleOfAStreamLosesNothing() throws Exception {
        startBridge("bridge-1", null);
        int count = 600;
        long started = System.nanoTime();
        long retries;
        try (PlantDevice device = new PlantDevice(plant.uri())) {
            for (int n = 1; n <= count; n++) {
                if (n == count / 2) {
                    plant.stop();
                    plant.start();
                }
                device.publish("plant/line1/pump-1/state", state(n));
            }
            retries = device.retries();
        }

        var tally = stack.readNorthbound(Map.of(PUMP_1, count), Duration.ofSeconds(90), true);
        double seconds = (System.nanoTime() - started) / 1e9;
        long lost = count - tally.numbers(PUMP_1).size();
        System.out.printf("[reliability c] plant broker restart: %d readings sent, %d reached Kafka, %d lost, "
                        + "%d Kafka records (duplicates %d, distinct seq %d), device retries %d, duplicates"
                        + " recognised %.0f, %.1f s%n", count,
                tally.numbers(PUMP_1).size(), lost, tally.records(), tally.records() - tally.numbers(PUMP_1).size(),
                tally.seqs(PUMP_1).size(), retries,
                meters.get(0).get("adapter.bridge.duplicates.dropped").counter().count(), seconds);
        assertThat(tally.numbers(PUMP_1)).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        assertThat(tally.seqs(PUMP_1)).as("each reading stored once (the rule's messageId drops the plant side's duplicates)")
                .hasSize(count);
        assertThat(meters.get(0).get("adapter.bridge.connects").counter().count()).isGreaterThanOrEqualTo(2);
    }

    /** Reliability (d), plant side: 10 000 random and malformed payloads are each counted once; nothing crashes. */
    @Test
    void tenThousandMalformedPlantPayloadsAreEachCountedAndValidOnesStillArrive() throws Exception {
        startBridge("bridge-1", null);
        int malformed = 10_000;
        int valid = 100;
        Random random = new Random(7);
        try (PlantDevice device = new PlantDevice(plant.uri())) {
            int validSent = 0;
            for (int i = 0; i < malformed; i++) {
                device.publishRaw(i % 2 == 0 ? "plant/line1/pump-1/state" : "plant/line1/pump-1/rpm", malformedPayload(random, i));
                if (i % (malformed / valid) == 0 && validSent < valid) {
                    validSent++;
                    device.publish("plant/line1/pump-1/state", state(validSent));
                }
            }
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> invalid() >= malformed);
        var tally = stack.readNorthbound(Map.of(PUMP_1, valid), Duration.ofSeconds(60), true);
        System.out.printf("[reliability d] plant broker: %d malformed payloads sent, %d counted as errors, %d/%d valid delivered, adapter %s%n",
                malformed, (long) invalid(), tally.numbers(PUMP_1).size(), valid, adapters.get(0).health().getString("status"));
        assertThat((long) invalid()).isEqualTo(malformed);
        assertThat(tally.numbers(PUMP_1)).hasSize(valid);
        assertThat(tally.telemetryArrivalOrder(PUMP_1)).as("arrival order in Kafka between malformed payloads").hasSize(valid)
                .containsExactlyElementsOf(tally.seqs(PUMP_1));
        assertThat(adapters.get(0).health().getString("status")).isEqualTo("UP");
    }

    private static byte[] malformedPayload(Random random, int i) {
        return switch (i % 5) {
            case 0 -> {
                byte[] bytes = new byte[1 + random.nextInt(100)];
                random.nextBytes(bytes);
                bytes[0] = (byte) 0xFF; // neither JSON nor a number nor valid UTF-8
                yield bytes;
            }
            case 1 -> "{\"temp_f\": ".getBytes(StandardCharsets.UTF_8);
            case 2 -> "{\"other\": 1}".getBytes(StandardCharsets.UTF_8);
            case 3 -> "{\"temp_f\": [1,2]}".getBytes(StandardCharsets.UTF_8);
            default -> ("fast" + random.nextInt()).getBytes(StandardCharsets.UTF_8);
        };
    }

    @Test
    void twoBridgesInASharedGroupSplitTheStreamAndTogetherDeliverEveryReading() throws Exception {
        startBridge("bridge-a", "twinworks");
        startBridge("bridge-b", "twinworks");
        int count = 200;
        try (PlantDevice device = new PlantDevice(plant.uri())) {
            for (int n = 1; n <= count; n++) {
                device.publish("plant/line1/pump-1/state", state(n));
            }
        }

        var tally = stack.readNorthbound(Map.of(PUMP_1, count), Duration.ofSeconds(60), true);

        assertThat(tally.numbers(PUMP_1)).hasSize(count);
        double a = meters.get(0).get("adapter.bridge.received").counter().count();
        double b = meters.get(1).get("adapter.bridge.received").counter().count();
        assertThat(a + b).isEqualTo(count);
        assertThat(a).isPositive();
        assertThat(b).isPositive();
    }

    @Test
    void aHonoCommandIsPublishedToThePlantBrokerAndUnknownCommandsAreAnswered404() throws Exception {
        startBridge("bridge-1", null);
        List<String> received = new CopyOnWriteArrayList<>();
        MqttClient listener = new MqttClient(plant.uri(), "listener", new MemoryPersistence());
        listener.connect();
        listener.subscribe(new org.eclipse.paho.mqttv5.common.MqttSubscription[]{
                new org.eclipse.paho.mqttv5.common.MqttSubscription("plant/cmd/+/setSpeed", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[]{(topic, message) ->
                        received.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8))});
        try {
            var ok = stack.sendCommand(PUMP_2, "setSpeed", "{\"rpm\":900}", Duration.ofSeconds(30));
            var unknown = stack.sendCommand(PUMP_2, "explode", "{}", Duration.ofSeconds(30));

            assertThat(ok.status()).isEqualTo(200);
            assertThat(unknown.status()).isEqualTo(404);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(received).containsExactly("plant/cmd/pump-2/setSpeed {\"rpm\":900}"));
        } finally {
            listener.disconnect();
            listener.close();
        }
    }

    private double invalid() {
        return meters.get(0).find("adapter.frames.invalid").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
