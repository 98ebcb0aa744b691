package io.twinworks.it;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.kafka.KafkaTwinEvents;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.twinworks.it.LocalStackFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Scale-out: two analytics replicas in one consumer group on the Kafka topic a Ditto connection
 * target fills with twin events (key = thing ID; here a producer plays that target). Every asset
 * lives on exactly one replica; when one replica leaves, the other takes its assets over from the
 * snapshot in their twins (learned baselines) and scores them at once, including an alarm.
 */
class KafkaRebalanceIT {

    private static final String TOPIC = "twinworks.twin-events";

    @TempDir
    Path stateDir;

    private LocalStackFixture fixture;
    private AnalyticsService replicaA;
    private AnalyticsService replicaB;
    private KafkaProducer<String, String> dittoTarget;
    private WebClient http;
    private final List<DemoDevice> assets = DemoPlant.pumps(8);
    private final Map<String, Long> revisions = new HashMap<>();

    @BeforeEach
    void startStack() throws Exception {
        fixture = new LocalStackFixture(stateDir);
        fixture.createUnmodelledTwins(assets.stream().map(DemoDevice::deviceId).toList());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.endpoints.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        dittoTarget = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.endpoints.kafkaBootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
        http = WebClient.create(fixture.vertx);
    }

    @AfterEach
    void stopStack() {
        for (AnalyticsService replica : new AnalyticsService[] {replicaA, replicaB}) {
            if (replica != null) {
                await(replica.stop());
            }
        }
        if (dittoTarget != null) {
            dittoTarget.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private final List<PrometheusMeterRegistry> registries = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Test
    void eachAssetLivesOnOneReplicaAndMovesToTheOtherWhenItsReplicaLeaves() throws Exception {
        replicaA = startReplica();
        replicaB = startReplica();

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            publishRound(1.0);
            Set<String> onA = await(replicaA.assetIds());
            Set<String> onB = await(replicaB.assetIds());
            assertThat(onA).isNotEmpty();
            assertThat(onB).isNotEmpty();
            assertThat(onA).doesNotContainAnyElementsOf(onB);
            Set<String> all = new HashSet<>(onA);
            all.addAll(onB);
            assertThat(all).hasSize(assets.size());
            assertThat(assets).allSatisfy(asset -> assertThat(healthOf(asset)).isEqualTo("ok"));
        });

        Set<String> movingAssets = await(replicaB.assetIds());
        await(replicaB.stop());
        replicaB = null;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> replicaA.ownedPartitions() == 2);

        // No warm-up on replica A for the moved assets: their first readings there are already far
        // outside normal operation, so only the baselines restored from their twins can see it.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            publishRound(4.0);
            assertThat(assets).allSatisfy(asset -> assertThat(healthOf(asset)).isEqualTo("alarm"));
        });
        assertThat(await(replicaA.assetIds())).containsAll(movingAssets).hasSize(assets.size());
        // consumer lag in records on /metrics: caught up, so 0 once the last round is consumed
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(registries.get(0).scrape()).contains(KafkaTwinEvents.CONSUMER_LAG_METER + " 0.0"));
    }

    private AnalyticsService startReplica() {
        AnalyticsConfig config = fixture.analyticsConfig()
                .withModelDir(stateDir.resolve("no-models"))
                .withKafka(new AnalyticsConfig.KafkaTransport(fixture.endpoints.kafkaBootstrapServers(), TOPIC, "analytics-it"));
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registries.add(registry);
        AnalyticsService replica = new AnalyticsService(fixture.vertx, config, registry);
        await(replica.start());
        return replica;
    }

    /** One vibration reading per asset, as Ditto's Kafka target publishes a merged event (key = thing ID). */
    private void publishRound(double baseRms) throws Exception {
        for (DemoDevice asset : assets) {
            long revision = revisions.merge(asset.deviceId(), 1L, Long::sum);
            double rms = baseRms + 0.01 * (revision % 3);
            String event = new JsonObject()
                    .put("topic", asset.namespace() + "/" + asset.name() + "/things/twin/events/merged")
                    .put("headers", new JsonObject().put("content-type", "application/merge-patch+json"))
                    .put("path", "/features/vibration/properties")
                    .put("value", new JsonObject().put("rms", rms))
                    .put("revision", revision)
                    .encode();
            dittoTarget.send(new ProducerRecord<>(TOPIC, asset.deviceId(), event));
        }
        dittoTarget.flush();
    }

    private String healthOf(DemoDevice asset) {
        var response = await(http.getAbs(fixture.endpoints.dittoUrl() + "/api/2/things/" + asset.deviceId()
                        + "/features/predictions/properties/healthState")
                .basicAuthentication(LocalStackFixture.OPERATOR, LocalStackFixture.OPERATOR_PASSWORD)
                .send());
        return response.statusCode() == 200 ? response.bodyAsString().replace("\"", "") : "absent(" + response.statusCode() + ")";
    }
}
