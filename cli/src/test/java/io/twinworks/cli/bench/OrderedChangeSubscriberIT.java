package io.twinworks.cli.bench;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.cli.demo.Demo;
import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The benchmark's change subscriber at the stage that reordered: a burst of changes of one thing
 * (group-committed by the twin service and sent back to back over {@code /ws/2}) must reach a slow
 * handler one at a time and in revision order.
 */
class OrderedChangeSubscriberIT {

    private static final int CHANGES = 300;
    private static final String USER = "ditto";
    private static final String PASSWORD = "ditto";

    @Test
    void aSlowHandlerSeesOneThingsBurstOfChangesOneAtATimeInRevisionOrder(@TempDir Path stateDir) throws Exception {
        LocalStackConfig config = LocalStackConfig.fromEnv(Map.of("TWINWORKS_HONO_BCRYPT_COST", "4"))
                .withStateDir(stateDir)
                .withPorts(0, 0, 0)
                .withDitto(0, Map.of(USER, PASSWORD));
        Vertx vertx = Vertx.vertx();
        LocalStack stack = new LocalStack(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        List<Long> revisions = new CopyOnWriteArrayList<>();
        AtomicInteger inHandler = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        try {
            LocalStackEndpoints endpoints = get(stack.start());
            List<DemoDevice> devices = DemoPlant.pumps(1);
            get(Demo.provision(vertx, endpoints, USER, PASSWORD, devices, Demo.subjects(config.dittoHonoSubjects(),
                    "nginx:analytics", "nginx:simulation", "nginx:" + USER)));
            String thingId = devices.get(0).deviceId();
            try (OrderedChangeSubscriber ignored = OrderedChangeSubscriber.connect(
                    URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws")), USER, PASSWORD, Duration.ofSeconds(60),
                    change -> {
                        mostAtOnce.accumulateAndGet(inHandler.incrementAndGet(), Math::max);
                        if (change.getEntityId().toString().equals(thingId)) {
                            revisions.add(change.getRevision());
                        }
                        sleepMillis(2);
                        inHandler.decrementAndGet();
                    })) {
                // all requests at once: the twin service applies them in group commits, the events leave in bursts
                WebClient http = WebClient.create(vertx);
                List<Future<HttpResponse<Buffer>>> writes = new ArrayList<>();
                for (int i = 0; i < CHANGES; i++) {
                    writes.add(http.patchAbs(endpoints.dittoUrl() + "/api/2/things/" + thingId
                                    + "/features/vibration/properties")
                            .basicAuthentication(USER, PASSWORD)
                            .putHeader("content-type", "application/merge-patch+json")
                            .sendJsonObject(new JsonObject().put("rms", 2.0 + i * 0.001)));
                }
                for (Future<HttpResponse<Buffer>> write : writes) {
                    assertThat(get(write).statusCode()).isEqualTo(204);
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> revisions.size() >= CHANGES);
            }
        } finally {
            get(stack.stop());
            get(vertx.close());
        }
        assertThat(revisions).hasSize(CHANGES);
        assertThat(revisions).isSorted().doesNotHaveDuplicates();
        assertThat(mostAtOnce.get()).isEqualTo(1);
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static <T> T get(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    }
}
