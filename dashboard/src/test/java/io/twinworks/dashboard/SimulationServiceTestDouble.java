package io.twinworks.dashboard;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.live.messages.RepliableMessage;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * TEST DOUBLE of the simulation service (written elsewhere in parallel): a ditto-client session as the sim
 * user that answers the {@code simulate} live message the way the real service is expected to (the answer
 * shape documented in dashboard/README.md), with a simple made-up degradation curve. It exists only so that
 * the browser test can exercise the what-if form end to end through Ditto's messages API.
 */
final class SimulationServiceTestDouble implements AutoCloseable {

    /** Vibration at which the made-up curve says the pump needs maintenance. */
    static final double THRESHOLD_RMS = 0.71;

    private final DittoClient client;
    final List<JsonObject> scenarios = new CopyOnWriteArrayList<>();

    SimulationServiceTestDouble(String dittoWebSocketUrl, String user, String password) throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint(dittoWebSocketUrl)
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(user).password(password).build()));
        client = DittoClients.newInstance(messaging).connect().toCompletableFuture().get(20, TimeUnit.SECONDS);
        client.live().registerForMessage("simulate-test-double", "simulate", String.class,
                (RepliableMessage<String, String> message) -> {
                    JsonObject scenario = new JsonObject(message.getPayload().orElse("{}"));
                    scenarios.add(scenario);
                    message.reply().httpStatus(HttpStatus.OK).payload(answer(scenario).encode())
                            .contentType("application/json").send();
                });
        client.live().startConsumption().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Vibration grows linearly with load; health index falls as it does. */
    static JsonObject answer(JsonObject scenario) {
        double horizon = scenario.getDouble("horizonHours", 168.0);
        double load = scenario.getDouble("loadFactor", 1.0);
        JsonArray trajectory = new JsonArray();
        Double timeToThreshold = null;
        for (int step = 0; step <= 24; step++) {
            double t = horizon * step / 24;
            double rms = 0.31 + 0.004 * load * t;
            if (timeToThreshold == null && rms >= THRESHOLD_RMS) {
                timeToThreshold = t;
            }
            trajectory.add(new JsonObject().put("hours", t).put("vibrationRms", rms)
                    .put("healthIndex", Math.max(0, 1 - (rms - 0.31) / (THRESHOLD_RMS - 0.31))));
        }
        return new JsonObject().put("scenario", scenario).put("timeToThresholdHours", timeToThreshold)
                .put("trajectory", trajectory);
    }

    @Override
    public void close() {
        client.destroy();
    }
}
