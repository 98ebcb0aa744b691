package io.twinworks.cli.demo;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The demo on a running local stack: registers the pumps in Hono's device registry, creates their
 * twins and policies in Ditto, starts the analytics service as its own least-privilege subject, and
 * runs the virtual pumps — every step through the same public APIs a user's tools would use.
 */
public final class Demo {

    private final Vertx vertx;
    private final LocalStack stack;
    private final LocalStackConfig stackConfig;
    private final AnalyticsConfig analyticsConfig;
    private final List<DemoDevice> pumps;
    private final PrintWriter out;
    private DemoTwins twins;
    private DemoFleet fleet;
    private AnalyticsService analytics;

    /**
     * @param stackConfig     the stack's config as started (see {@link #withAnalyticsUser})
     * @param analyticsConfig the analytics service's config (its Ditto user must exist in the stack)
     */
    public Demo(Vertx vertx, LocalStack stack, LocalStackConfig stackConfig, AnalyticsConfig analyticsConfig,
                List<DemoDevice> pumps, PrintWriter out) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.stackConfig = Objects.requireNonNull(stackConfig, "stackConfig");
        this.analyticsConfig = Objects.requireNonNull(analyticsConfig, "analyticsConfig");
        this.pumps = List.copyOf(pumps);
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The stack config with the analytics service's Ditto user added (the demo runs both in one JVM). */
    public static LocalStackConfig withAnalyticsUser(LocalStackConfig config, AnalyticsConfig analytics) {
        Map<String, String> users = new HashMap<>(config.dittoUsers());
        users.putIfAbsent(analytics.dittoUser(), analytics.dittoPassword());
        return config.withDitto(config.dittoHttpPort(), users);
    }

    /** Provisions devices and twins, starts analytics and the fleet. */
    public Future<Void> start(LocalStackEndpoints endpoints) {
        Map.Entry<String, String> operator = stackConfig.dittoUsers().entrySet().stream()
                .filter(user -> !user.getKey().equals(analyticsConfig.dittoUser()))
                .findFirst().orElseThrow(() -> new IllegalStateException("no Ditto user besides the analytics user"));
        twins = new DemoTwins(vertx, URI.create(endpoints.dittoUrl()), operator.getKey(), operator.getValue());
        Path provisioningFile = stackConfig.stateDir().resolve("demo-provisioning.json");
        return vertx.executeBlocking(() -> Files.writeString(provisioningFile, DemoPlant.provisioning(pumps).encodePrettily()), false)
                .compose(written -> stack.provision(provisioningFile))
                .onSuccess(report -> out.println("  demo: Hono registry " + report.summary()))
                .compose(report -> twins.create(pumps, stackConfig.dittoHonoSubjects(), "nginx:" + analyticsConfig.dittoUser()))
                .onSuccess(created -> out.println("  demo: " + pumps.size() + " twins with least-privilege policies in Ditto"))
                .compose(created -> {
                    URI websocket = URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws"));
                    analytics = new AnalyticsService(vertx, analyticsConfig.withDitto(websocket,
                            analyticsConfig.dittoUser(), analyticsConfig.dittoPassword()), new PrometheusMeterRegistry(
                            io.micrometer.prometheusmetrics.PrometheusConfig.DEFAULT));
                    return analytics.start();
                })
                .compose(analyticsUp -> vertx.executeBlocking(() -> {
                    fleet = new DemoFleet(endpoints.mqttUri(), pumps, Duration.ofSeconds(1));
                    fleet.start();
                    return null;
                }, false))
                .onSuccess(v -> out.println("  demo: " + pumps.size() + " virtual pumps of tenant " + DemoPlant.TENANT
                        + " publish every second; analytics writes /features/predictions"))
                .mapEmpty();
    }

    /** Prints one status block: the MQTT counters and a line per twin. */
    public Future<Void> printStatus() {
        return twins.read(pumps).map(things -> {
            out.println(stack.mqttStatus().toStatusLine() + " | fleet: " + fleet.acknowledged() + " acknowledged, "
                    + fleet.failed() + " failed");
            out.println(String.format("  %-16s %6s %9s %-9s %7s", "twin", "rev", "vib rms", "health", "anomaly"));
            for (Object item : things) {
                out.println(row((JsonObject) item));
            }
            out.flush();
            return null;
        });
    }

    private static String row(JsonObject thing) {
        JsonObject features = thing.getJsonObject("features", new JsonObject());
        JsonObject vibration = features.getJsonObject("vibration", new JsonObject()).getJsonObject("properties", new JsonObject());
        JsonObject predictions = features.getJsonObject("predictions", new JsonObject()).getJsonObject("properties", new JsonObject());
        Object rms = vibration.getValue("rms", "-");
        Object score = predictions.getValue("anomalyScore", "-");
        return String.format("  %-16s %6s %9s %-9s %7s", thing.getString("thingId"), thing.getValue("_revision", "-"),
                rms, predictions.getString("healthState", "-"), score);
    }

    /** Stops the fleet and analytics (the stack is stopped by its owner). */
    public Future<Void> stop() {
        if (fleet != null) {
            fleet.close();
        }
        if (twins != null) {
            twins.close();
        }
        return analytics == null ? Future.succeededFuture() : analytics.stop();
    }

    /** The things as last read, for tests. */
    public Future<JsonArray> readTwins() {
        return twins.read(pumps);
    }
}
