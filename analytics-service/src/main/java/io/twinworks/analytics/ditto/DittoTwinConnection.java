package io.twinworks.analytics.ditto;

import io.twinworks.analytics.PredictionWriter;
import io.twinworks.analytics.model.Prediction;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.ChangeAction;
import org.eclipse.ditto.client.changes.ThingChange;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The analytics service's link to Ditto, through Ditto's own Java client over the WebSocket
 * (single-instance mode): it receives twin change events and merges predictions back into the
 * {@code predictions} feature. It talks to real Ditto and to the local stack alike.
 */
public final class DittoTwinConnection implements PredictionWriter, AutoCloseable {

    /** The feature the analytics service owns (and the only one its policy lets it write). */
    public static final String PREDICTIONS_FEATURE = "predictions";

    private static final Logger LOG = LoggerFactory.getLogger(DittoTwinConnection.class);
    private static final String REGISTRATION_ID = "twinworks-analytics";

    private final Context context;
    private final DittoClient client;
    private final ExecutorService callbacks;

    private DittoTwinConnection(Context context, DittoClient client, ExecutorService callbacks) {
        this.context = context;
        this.client = client;
        this.callbacks = callbacks;
    }

    /**
     * Connects to Ditto's WebSocket with HTTP Basic credentials.
     *
     * @param context  the Vert.x context callbacks are handed to
     * @param endpoint {@code ws://host:port} of Ditto (the client appends {@code /ws/2})
     */
    public static Future<DittoTwinConnection> connect(Context context, URI endpoint, String user, String password) {
        Objects.requireNonNull(context, "context");
        var messaging = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(endpoint.toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .reconnectEnabled(true)
                .initialConnectRetryEnabled(true)
                .timeout(Duration.ofSeconds(30))
                .connectionErrorHandler(error -> LOG.warn("Ditto WebSocket {}: {}", endpoint, error.toString()))
                .build();
        var authentication = AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                .username(user).password(password).build());
        // ONE callback thread: the client's default pool hands the change events of one WebSocket to several
        // threads, so a burst (e.g. a group commit of the twin service) would reach us out of revision order
        // and AssetState drops a revision older than the last one seen
        ExecutorService callbacks = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "analytics-ditto-client-callbacks");
            thread.setDaemon(true);
            return thread;
        });
        var disconnected = DittoClients.newInstance(MessagingProviders.webSocket(messaging, authentication, callbacks));
        return Future.fromCompletionStage(disconnected.connect(), context)
                .map(client -> new DittoTwinConnection(context, client, callbacks))
                .onFailure(failure -> {
                    disconnected.destroy();
                    callbacks.shutdownNow();
                });
    }

    /**
     * Subscribes to twin change events ({@code START-SEND-EVENTS}); each change is handed to the
     * Vert.x context in arrival order.
     */
    public Future<Void> subscribe(Consumer<ThingChange> onChange) {
        client.twin().registerForThingChanges(REGISTRATION_ID, change -> {
            LOG.debug("change {} {} at {} rev {}: {}", change.getAction(), change.getEntityId(), change.getPath(),
                    change.getRevision(), change.getValue().orElse(null));
            if (change.getAction() != ChangeAction.DELETED) {
                context.runOnContext(v -> onChange.accept(change));
            }
        });
        return Future.fromCompletionStage(client.twin().startConsumption(), context);
    }

    @Override
    public Future<Void> write(String thingId, Prediction prediction) {
        return Future.fromCompletionStage(client.twin()
                .forId(ThingId.of(thingId))
                .forFeature(PREDICTIONS_FEATURE)
                .mergeProperties(toProperties(prediction)), context);
    }

    /** The {@code predictions} feature properties, as documented in the README. */
    static JsonObject toProperties(Prediction prediction) {
        JsonObjectBuilder builder = JsonObject.newBuilder()
                .set("anomalyScore", Math.round(prediction.anomalyScore() * 10_000) / 10_000.0)
                .set("healthState", prediction.healthState().wireName())
                .set("model", prediction.model())
                .set("modelVersion", prediction.modelVersion())
                .set("basedOnRevision", prediction.basedOnRevision())
                .set("computedAt", prediction.computedAt().toString());
        // A merge with null removes a stale RUL when no RUL model covers the asset.
        builder.set("rulCycles", prediction.rulCycles().isPresent()
                ? JsonValue.of(prediction.rulCycles().getAsDouble()) : JsonValue.nullLiteral());
        return builder.build();
    }

    /**
     * Monitored feature values of a change. For a thing-level registration Ditto's client hands the
     * changed part as a partial thing from the root (while {@code getPath()} still names where the
     * change happened), so the partial thing is walked from the root when present.
     */
    public static List<io.twinworks.analytics.model.Reading> readingsOf(ThingChangeReadings extractor, ThingChange change) {
        String thingId = change.getEntityId().toString();
        return change.getThing()
                .map(thing -> extractor.readings(thingId, JsonPointer.empty(), thing.toJson(), change.getRevision()))
                .or(() -> change.getValue().map(value -> extractor.readings(thingId, change.getPath(), value, change.getRevision())))
                .orElse(List.of());
    }

    @Override
    public void close() {
        client.destroy();
        callbacks.shutdownNow();
    }
}
