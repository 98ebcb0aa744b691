package io.twinworks.localstack.ditto.ws;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.ditto.DittoTwinServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.Change;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.live.messages.RepliableMessage;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.messages.model.Message;
import org.eclipse.ditto.policies.model.PoliciesModelFactory;
import org.eclipse.ditto.policies.model.Policy;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import org.awaitility.Awaitility;

/**
 * Eclipse Ditto's own Java client (2.4.0, WebSocket messaging, HTTP Basic) against the local {@code /ws/2}:
 * twin commands, RQL-filtered change consumption, live messages between two clients, policy refusals.
 */
@ExtendWith(VertxExtension.class)
class DittoClientWebSocketTest {

    private static final Map<String, String> USERS = Map.of(
            "ditto", "ditto", "operator", "operator-secret", "sensor", "sensor-secret", "stranger", "stranger-secret");
    private static final ThingId PUMP = ThingId.of("plant.a:pump-7");

    /** ditto owns everything; operator reads the thing and messages; sensor reads and writes only its feature. */
    private static final String POLICY_JSON = """
            {"policyId":"plant.a:pump-7","entries":{
              "OWNER":{"subjects":{"nginx:ditto":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "policy:/":{"grant":["READ","WRITE"],"revoke":[]},
                                    "message:/":{"grant":["READ","WRITE"],"revoke":[]}}},
              "OPERATOR":{"subjects":{"nginx:operator":{"type":"test"}},
                       "resources":{"thing:/":{"grant":["READ"],"revoke":[]},
                                    "message:/":{"grant":["READ"],"revoke":[]}}},
              "SENSOR":{"subjects":{"nginx:sensor":{"type":"test"}},
                       "resources":{"thing:/features/vibration":{"grant":["READ","WRITE"],"revoke":[]}}}}}""";

    @TempDir
    Path stateDir;

    private DittoTwinServer server;
    private int port;
    private final List<DittoClient> clients = new ArrayList<>();

    @BeforeEach
    void startServer(Vertx vertx) throws Exception {
        server = new DittoTwinServer(vertx, LocalStackConfig.defaults().withStateDir(stateDir).withDitto(0, USERS),
                new SimpleMeterRegistry());
        port = await(server.start());
    }

    @AfterEach
    void stopServer() throws Exception {
        clients.forEach(DittoClient::destroy);
        await(server.stop());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private static <T> T get(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    private DittoClient connect(String user) throws Exception {
        var messaging = MessagingProviders.webSocket(WebSocketMessagingConfiguration.newBuilder()
                        .endpoint("ws://127.0.0.1:" + port)
                        .jsonSchemaVersion(JsonSchemaVersion.V_2)
                        .reconnectEnabled(false)
                        .build(),
                AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                        .username(user).password(USERS.get(user)).build()));
        DittoClient client = get(DittoClients.newInstance(messaging).connect());
        clients.add(client);
        return client;
    }

    private void createPolicyAndThing(DittoClient owner) throws Exception {
        Policy policy = PoliciesModelFactory.newPolicy(POLICY_JSON);
        get(owner.policies().create(policy));
        get(owner.twin().create(JsonFactory.newObject("""
                {"thingId":"plant.a:pump-7","policyId":"plant.a:pump-7","attributes":{"site":"plant-a"},
                 "features":{"vibration":{"properties":{"rms":0.2}}}}""")));
    }

    private static DittoRuntimeException dittoFailure(CompletionStage<?> stage) {
        try {
            get(stage);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (!(cause instanceof DittoRuntimeException) && cause != null && cause.getCause() != null) {
                cause = cause.getCause();
            }
            assertThat(cause).isInstanceOf(DittoRuntimeException.class);
            return (DittoRuntimeException) cause;
        } catch (Exception e) {
            throw new AssertionError("expected a Ditto error, got " + e, e);
        }
        throw new AssertionError("expected the command to fail");
    }

    @Test
    void dittoClientCreatesPolicyAndThingAndMergesAFeatureProperty() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);

        get(owner.twin().forId(PUMP).forFeature("vibration").mergeProperty("rms", 1.7));

        Thing thing = get(owner.twin().forId(PUMP).retrieve());
        assertThat(thing.getFeatures().flatMap(features -> features.getFeature("vibration"))
                .flatMap(feature -> feature.getProperty("rms"))).contains(JsonValue.of(1.7));
        assertThat(thing.getAttributes().flatMap(attributes -> attributes.getValue("site")))
                .contains(JsonValue.of("plant-a"));
    }

    @Test
    void changeConsumptionWithRqlFilterDeliversOnlyMatchingChanges() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient watcher = connect("operator");
        List<Change> changes = new CopyOnWriteArrayList<>();
        watcher.twin().registerForThingChanges("all-changes", changes::add);
        get(watcher.twin().startConsumption(Options.Consumption.filter("gt(features/vibration/properties/rms,1)")));
        DittoClient sensor = connect("sensor");

        get(sensor.twin().forId(PUMP).forFeature("vibration").mergeProperty("rms", 0.4));
        get(sensor.twin().forId(PUMP).forFeature("vibration").mergeProperty("rms", 1.5));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !changes.isEmpty());
        // the 0.4 change was before the 1.5 one: had it passed the filter, it would have arrived first
        Thread.sleep(300);
        assertThat(changes).hasSize(1);
        Change change = changes.get(0);
        assertThat((Object) change.getEntityId()).isEqualTo(PUMP);
        // a thing-level handler sees the change as the partial thing it describes
        assertThat(change.getValue().filter(JsonValue::isObject).map(JsonValue::asObject)
                .flatMap(thing -> thing.getValue(JsonPointer.of("/features/vibration/properties/rms"))))
                .contains(JsonValue.of(1.5));
    }

    @Test
    void changesAreNotDeliveredToASubjectWithoutRead() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient stranger = connect("stranger");
        List<Change> strangerChanges = new CopyOnWriteArrayList<>();
        stranger.twin().registerForThingChanges("stranger", strangerChanges::add);
        get(stranger.twin().startConsumption());
        DittoClient watcher = connect("operator");
        List<Change> operatorChanges = new CopyOnWriteArrayList<>();
        watcher.twin().registerForThingChanges("operator", operatorChanges::add);
        get(watcher.twin().startConsumption());

        get(owner.twin().forId(PUMP).putAttribute("site", "plant-b"));

        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !operatorChanges.isEmpty());
        Thread.sleep(300);
        assertThat(strangerChanges).isEmpty();
    }

    @Test
    void liveMessageFromOneClientIsReceivedAndAnsweredByAnother() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient operator = connect("operator");
        List<String> received = new CopyOnWriteArrayList<>();
        operator.live().registerForMessage("diagnose", "diagnose", String.class,
                (RepliableMessage<String, String> message) -> {
                    received.add(message.getPayload().orElse(""));
                    message.reply().httpStatus(HttpStatus.OK).payload("bearing worn").send();
                });
        get(operator.live().startConsumption());

        CompletableFuture<Message<String>> response = new CompletableFuture<>();
        owner.live().forId(PUMP).message().to().subject("diagnose").payload("run diagnosis")
                .send(String.class, (answer, error) -> {
                    if (error != null) {
                        response.completeExceptionally(error);
                    } else {
                        response.complete(answer);
                    }
                });

        Message<String> answer = response.get(20, TimeUnit.SECONDS);
        assertThat(received).containsExactly("run diagnosis");
        assertThat(answer.getPayload()).contains("bearing worn");
        assertThat(answer.getHttpStatus()).contains(HttpStatus.OK);
    }

    @Test
    void liveMessageWithoutWriteOnMessagesIsRefusedWith403() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient operator = connect("operator");

        CompletableFuture<Message<String>> response = new CompletableFuture<>();
        operator.live().forId(PUMP).message().to().subject("diagnose").payload("run diagnosis")
                .send(String.class, (answer, error) -> {
                    if (error != null) {
                        response.completeExceptionally(error);
                    } else {
                        response.complete(answer);
                    }
                });

        DittoRuntimeException error = dittoFailure(response);
        assertThat(error.getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(error.getErrorCode()).isEqualTo("messages:send.notallowed");
    }

    @Test
    void retrievingAThingWithoutReadFailsWith404() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient stranger = connect("stranger");

        DittoRuntimeException error = dittoFailure(stranger.twin().forId(PUMP).retrieve());

        assertThat(error.getHttpStatus()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(error.getErrorCode()).isEqualTo("things:thing.notfound");
    }

    @Test
    void mergingAFeatureWithoutWriteFailsWith403() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient operator = connect("operator");

        DittoRuntimeException error = dittoFailure(
                operator.twin().forId(PUMP).forFeature("vibration").mergeProperty("rms", 9.9));

        assertThat(error.getHttpStatus()).isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(error.getErrorCode()).startsWith("things:");
        Thing unchanged = get(owner.twin().forId(PUMP).retrieve());
        assertThat(unchanged.getFeatures().flatMap(features -> features.getFeature("vibration"))
                .flatMap(feature -> feature.getProperty("rms"))).contains(JsonValue.of(0.2));
    }

    @Test
    void sensorMayWriteItsOwnFeatureButNotAttributes() throws Exception {
        DittoClient owner = connect("ditto");
        createPolicyAndThing(owner);
        DittoClient sensor = connect("sensor");

        get(sensor.twin().forId(PUMP).forFeature("vibration").mergeProperty("rms", 0.9));
        DittoRuntimeException error = dittoFailure(sensor.twin().forId(PUMP).putAttribute("site", "elsewhere"));

        assertThat(error.getHttpStatus().getCode()).isIn(403, 404);
        JsonObject attributes = get(owner.twin().forId(PUMP).retrieve()).getAttributes().orElseThrow().toJson();
        assertThat(attributes.getValue("site")).contains(JsonValue.of("plant-a"));
    }
}
