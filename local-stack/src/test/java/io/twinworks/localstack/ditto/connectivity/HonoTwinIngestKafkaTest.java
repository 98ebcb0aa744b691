package io.twinworks.localstack.ditto.connectivity;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.definitions.ThingSkeleton;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.twinworks.localstack.hono.kafka.HonoRecords;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import io.twinworks.localstack.kafka.EmbeddedKafkaBroker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Ditto side's Hono connection against a real in-JVM Kafka broker: records written with Hono's
 * layout (topic {@code hono.telemetry.<tenant>}, key and {@code device_id} = device ID, content type,
 * creation time) by a Kafka producer end up in the twins, or are refused and counted.
 *
 * <p>The broker is shared by the class; each test uses its own tenant, thing namespace, consumer group
 * and twin store, so records of other tests (which a fresh group also reads) never touch its things.
 */
@ExtendWith(VertxExtension.class)
class HonoTwinIngestKafkaTest {

    private static final String CONNECTION_SUBJECT = "pre-authenticated:hono-connection";
    private static final AtomicInteger TEST_NUMBER = new AtomicInteger();

    @TempDir
    static Path kafkaDir;
    private static EmbeddedKafkaBroker broker;
    private static KafkaProducer<String, byte[]> producer;

    @TempDir
    Path stateDir;

    private Vertx vertx;
    private DittoTwinServer server;
    private WebClient client;
    private SimpleMeterRegistry metrics;
    private HonoTwinIngest ingest;
    private String tenant;
    private String namespace;
    private String group;

    @BeforeAll
    static void startBroker() {
        broker = new EmbeddedKafkaBroker(kafkaDir, "127.0.0.1", 0);
        broker.start();
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void stopBroker() {
        producer.close();
        broker.close();
    }

    @BeforeEach
    void startTwinService(Vertx vertx) throws Exception {
        this.vertx = vertx;
        int number = TEST_NUMBER.incrementAndGet();
        tenant = "ingest-tenant-" + number;
        namespace = "plant.ingest" + number;
        group = "twinworks-ditto-hono-test-" + UUID.randomUUID();
        metrics = new SimpleMeterRegistry();
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), metrics);
        complete(server.start());
        client = WebClient.create(vertx);
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (ingest != null) {
            complete(ingest.stop());
        }
        complete(server.stop());
    }

    private static <T> T complete(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private void startIngest() throws Exception {
        ingest = new HonoTwinIngest(vertx, server.twinService(),
                new HonoConnectionSettings(broker.bootstrapServers(), group, List.of(CONNECTION_SUBJECT)), metrics);
        complete(ingest.start());
    }

    private String thingId(String name) {
        return namespace + ":" + name;
    }

    /** Creates a thing through the HTTP API whose policy grants the Hono connection the given permissions. */
    private void createThing(String name, String... connectionPermissions) throws Exception {
        String permissions = String.join("\",\"", connectionPermissions);
        String policy = """
                {"entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "HONO":{"subjects":{"%s":{"type":"Connection to Eclipse Hono"}},
                          "resources":{"thing:/":{"grant":["%s"],"revoke":[]}}}}}"""
                .formatted(CONNECTION_SUBJECT, permissions);
        assertThat(put("/api/2/policies/" + thingId(name), policy).statusCode()).isEqualTo(201);
        assertThat(put("/api/2/things/" + thingId(name), """
                {"policyId":"%s","features":{"vibration":{"properties":{"rms":0.0}}}}"""
                .formatted(thingId(name))).statusCode()).isEqualTo(201);
    }

    private HttpResponse<Buffer> put(String path, String body) throws Exception {
        return complete(client.put(server.httpPort(), "127.0.0.1", path).basicAuthentication("ditto", "ditto")
                .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body)));
    }

    private HttpResponse<Buffer> get(String path) throws Exception {
        return complete(client.get(server.httpPort(), "127.0.0.1", path).basicAuthentication("ditto", "ditto").send());
    }

    private JsonObject vibration(String name) throws Exception {
        return get("/api/2/things/" + thingId(name) + "/features/vibration/properties").bodyAsJsonObject();
    }

    private String mergeVibration(String name, String propertiesJson) {
        return """
                {"topic":"%s/%s/things/twin/commands/merge","path":"/features/vibration/properties",
                 "value":%s,"headers":{"content-type":"application/merge-patch+json"}}"""
                .formatted(namespace, name, propertiesJson);
    }

    /** Sends what Hono's MQTT adapter writes for a device's telemetry message. */
    private void sendTelemetry(String deviceId, String contentType, String payload) throws Exception {
        sendTelemetry(deviceId, contentType, payload.getBytes(StandardCharsets.UTF_8));
    }

    private void sendTelemetry(String deviceId, String contentType, byte[] payload) throws Exception {
        producer.send(HonoRecords.downstream(HonoTopic.Type.TELEMETRY, tenant, deviceId, contentType, 0, null,
                "telemetry", false, payload, System.currentTimeMillis())).get(10, TimeUnit.SECONDS);
    }

    private double counter(String name, String... tags) {
        Counter counter = metrics.find("twinworks.ditto.hono.ingest." + name).tags("tenant", tenant).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitApplied(int count) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(counter("applied")).isEqualTo(count));
    }

    /**
     * Waits until exactly {@code applied} records were applied AND {@code refused} were refused for
     * {@code reason}: records of different devices may sit in different partitions and be done in any
     * order, so waiting for one count alone would race the other.
     */
    private void awaitAppliedAndRefused(int applied, String reason, int refused) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(counter("applied")).isEqualTo(applied);
            assertThat(counter("refused", "reason", reason)).isEqualTo(refused);
        });
    }

    private long revision(String name) throws Exception {
        String etag = get("/api/2/things/" + thingId(name)).getHeader("ETag");
        return Long.parseLong(etag.replace("\"", "").replace("rev:", ""));
    }

    @Test
    void dittoProtocolMergeFromTheDeviceUpdatesItsTwin() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();

        sendTelemetry(thingId("pump-1"), "application/vnd.eclipse.ditto+json", mergeVibration("pump-1", "{\"rms\":0.31}"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.31));
        assertThat(counter("applied")).isEqualTo(1);
    }

    @Test
    void applicationJsonWhoseBodyIsDittoProtocolIsAppliedToo() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();

        sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"rms\":0.42}"));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.42));
    }

    @Test
    void commandForAnotherDevicesThingIsRefusedAndCounted() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        createThing("pump-2", "READ", "WRITE");
        startIngest();

        // pump-2 tries to write pump-1's twin, then writes its own
        sendTelemetry(thingId("pump-2"), "application/vnd.eclipse.ditto+json", mergeVibration("pump-1", "{\"rms\":9.9}"));
        sendTelemetry(thingId("pump-2"), "application/vnd.eclipse.ditto+json", mergeVibration("pump-2", "{\"rms\":0.5}"));

        awaitApplied(1);
        assertThat(counter("refused", "reason", "device-mismatch")).isEqualTo(1);
        assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.0);
        assertThat(vibration("pump-2").getDouble("rms")).isEqualTo(0.5);
    }

    @Test
    void garbagePayloadsAreCountedAndTheNextGoodRecordIsStillApplied() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();
        String device = thingId("pump-1");

        sendTelemetry(device, "application/vnd.eclipse.ditto+json", "rms=0.31;ts=now");
        sendTelemetry(device, null, new byte[]{(byte) 0xFF, 0x00, 0x13, 0x37});
        sendTelemetry(device, "application/json", "{\"rms\":0.31}");
        sendTelemetry(device, "application/json", """
                {"topic":"%s/pump-1/things/twin/events/modified","path":"/attributes/a","value":1,"revision":9}"""
                .formatted(namespace));
        sendTelemetry(device, "application/vnd.eclipse.ditto+json", mergeVibration("pump-1", "{\"rms\":0.77}"));

        awaitApplied(1);
        assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.77);
        assertThat(counter("refused", "reason", "not-json")).isEqualTo(2);
        assertThat(counter("refused", "reason", "not-ditto-protocol")).isEqualTo(1);
        assertThat(counter("refused", "reason", "unsupported-signal")).isEqualTo(1);
    }

    /** Creates a modelled pump thing (its Thing Model's skeleton) whose policy lets the connection write features. */
    private void createModelledPump(String name) throws Exception {
        String policy = """
                {"entries":{
                  "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                           "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                        "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                  "HONO":{"subjects":{"%s":{"type":"Connection to Eclipse Hono"}},
                          "resources":{"thing:/features":{"grant":["READ","WRITE"],"revoke":[]}}}}}"""
                .formatted(CONNECTION_SUBJECT);
        assertThat(put("/api/2/policies/" + thingId(name), policy).statusCode()).isEqualTo(201);
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath().rebased(server.modelsBaseUrl());
        JsonObject thing = new JsonObject(new ThingSkeleton(catalog).skeleton(catalog.require("centrifugal-pump"),
                Map.of("tenant", JsonNodeFactory.instance.textNode(tenant))).toString()).put("policyId", thingId(name));
        assertThat(put("/api/2/things/" + thingId(name), thing.encode()).statusCode()).isEqualTo(201);
    }

    @Test
    void readingThatBreaksTheThingModelIsRefusedAndCountedAndTheStreamGoesOn() throws Exception {
        createModelledPump("pump-1");
        startIngest();

        sendTelemetry(thingId("pump-1"), "application/vnd.eclipse.ditto+json", mergeVibration("pump-1", "{\"rms\":250.0}"));
        sendTelemetry(thingId("pump-1"), "application/vnd.eclipse.ditto+json", mergeVibration("pump-1", "{\"rms\":\"loud\"}"));
        sendTelemetry(thingId("pump-1"), "application/vnd.eclipse.ditto+json", mergeVibration("pump-1", "{\"rms\":1.25,\"seq\":3}"));

        awaitApplied(1);
        assertThat(counter("refused", "reason", "wot-validation")).isEqualTo(2);
        assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(1.25);
    }

    @Test
    void recordWithoutDeviceIdHeaderIsRefusedAndCounted() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();
        ProducerRecord<String, byte[]> anonymous = new ProducerRecord<>(new HonoTopic(HonoTopic.Type.TELEMETRY, tenant)
                .topicName(), thingId("pump-1"), mergeVibration("pump-1", "{\"rms\":5.0}").getBytes(StandardCharsets.UTF_8));
        anonymous.headers().add("content-type", "application/vnd.eclipse.ditto+json".getBytes(StandardCharsets.UTF_8));

        producer.send(anonymous).get(10, TimeUnit.SECONDS);
        sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"rms\":0.1}"));

        awaitApplied(1);
        assertThat(counter("refused", "reason", "missing-device-id")).isEqualTo(1);
        assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.1);
    }

    @Test
    void writeThePolicyDoesNotGrantTheConnectionIsRefusedAsNotAuthorized() throws Exception {
        createThing("read-only", "READ");
        createThing("pump-1", "READ", "WRITE");
        startIngest();

        sendTelemetry(thingId("read-only"), "application/json", mergeVibration("read-only", "{\"rms\":3.0}"));
        sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"rms\":0.2}"));

        // two devices: their records may land in different partitions, done in either order
        awaitAppliedAndRefused(1, "not-authorized", 1);
        assertThat(vibration("read-only").getDouble("rms")).isEqualTo(0.0);
    }

    @Test
    void mergeOnAThingThatDoesNotExistIsRefusedAsThingNotFound() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();

        sendTelemetry(thingId("ghost"), "application/json", mergeVibration("ghost", "{\"rms\":1.0}"));
        sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"rms\":0.3}"));

        // two devices: their records may land in different partitions, done in either order
        awaitAppliedAndRefused(1, "thing-not-found", 1);
        assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.3);
        assertThat(get("/api/2/things/" + thingId("ghost")).statusCode()).isEqualTo(404);
    }

    @Test
    void createCommandFromTheDeviceCreatesItsTwinWithAnInlinePolicy() throws Exception {
        startIngest();

        sendTelemetry(thingId("new-pump"), "application/vnd.eclipse.ditto+json", """
                {"topic":"%s/new-pump/things/twin/commands/create","path":"/",
                 "value":{"thingId":"%s","attributes":{"site":"plant-a"},
                   "_policy":{"entries":{
                     "OWNER":{"subjects":{"nginx:ditto":{"type":"user"}},
                              "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                           "policy:/":{"grant":["READ","WRITE"],"revoke":[]}}},
                     "HONO":{"subjects":{"%s":{"type":"connection"}},
                             "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]}}}}}}}"""
                .formatted(namespace, thingId("new-pump"), CONNECTION_SUBJECT));

        awaitApplied(1);
        assertThat(get("/api/2/things/" + thingId("new-pump") + "/attributes/site").bodyAsString())
                .isEqualTo("\"plant-a\"");
    }

    @Test
    void recordsOfOneDeviceAreAppliedInOrder() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();

        for (int sequence = 1; sequence <= 30; sequence++) {
            sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"seq\":" + sequence + "}"));
        }

        awaitApplied(30);
        assertThat(vibration("pump-1").getInteger("seq")).isEqualTo(30);
        assertThat(revision("pump-1")).isEqualTo(31);
    }

    @Test
    void restartedConnectionResumesAfterTheLastAppliedRecordWithoutLossOrRepetition() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();
        for (int sequence = 1; sequence <= 5; sequence++) {
            sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"seq\":" + sequence + "}"));
        }
        awaitApplied(5);

        complete(ingest.stop());
        for (int sequence = 6; sequence <= 10; sequence++) {
            sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"seq\":" + sequence + "}"));
        }
        Thread.sleep(500);
        assertThat(vibration("pump-1").getInteger("seq")).as("nothing applied while stopped").isEqualTo(5);
        startIngest();

        awaitApplied(10);
        assertThat(vibration("pump-1").getInteger("seq")).isEqualTo(10);
        // created at revision 1, then exactly one revision per record: none lost, none applied twice
        assertThat(revision("pump-1")).isEqualTo(11);
    }

    @Test
    void recordThatFailsForATransientReasonIsRetriedNotSkipped() throws Exception {
        createThing("pump-1", "READ", "WRITE");
        startIngest();
        complete(server.stop());   // the twin service is gone: applying fails with a server-side error

        sendTelemetry(thingId("pump-1"), "application/json", mergeVibration("pump-1", "{\"rms\":0.9}"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(counter("retries")).isGreaterThan(1));
        complete(ingest.stop());

        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir)
                .withDitto(0, Map.of("ditto", "ditto")), metrics);
        complete(server.start());
        startIngest();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(vibration("pump-1").getDouble("rms")).isEqualTo(0.9));
        assertThat(revision("pump-1")).isEqualTo(2);
    }
}
