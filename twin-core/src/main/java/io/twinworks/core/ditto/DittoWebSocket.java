package io.twinworks.core.ditto;

import io.twinworks.core.ops.ConnectionState;
import io.twinworks.core.ops.HealthCheck;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.things.model.ThingId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A service's connection to Ditto through Ditto's own Java client over the WebSocket ({@code /ws/2}),
 * set up one way for every service: HTTP Basic credentials, reconnect on, and the client's callbacks
 * (change events, live messages, responses) on ONE named thread of their own.
 *
 * <p>Why one thread: the client's default pool hands the signals of one WebSocket to several threads, so
 * a burst (e.g. a group commit of the twin service) reaches the service out of revision order. Callers
 * hand each callback on to their Vert.x context and never block this thread.
 *
 * <p>The client reports a lost WebSocket but not its reconnection: {@link #link()} is down from a
 * disconnect until a retrieve over the socket round-trips again.
 *
 * <p>The Ditto client is an optional dependency of twin-core: a module that uses this class declares
 * {@code org.eclipse.ditto:ditto-client} itself.
 */
public final class DittoWebSocket implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DittoWebSocket.class);
    /** A thing ID retrieved only to prove the WebSocket carries traffic (absent: an empty answer is fine). */
    private static final ThingId READINESS_PROBE_THING = ThingId.of("twinworks:readiness-probe");
    private static final long LINK_PROBE_MILLIS = 2_000;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final DittoClient client;
    private final ExecutorService callbacks;
    private final ConnectionState link;

    private DittoWebSocket(DittoClient client, ExecutorService callbacks, ConnectionState link) {
        this.client = client;
        this.callbacks = callbacks;
        this.link = link;
    }

    /**
     * Connects (retrying the first connect until Ditto answers).
     *
     * @param context            the Vert.x context the returned future completes on
     * @param endpoint           {@code ws://host:port} of Ditto (the client appends {@code /ws/2})
     * @param callbackThreadName the name of the one thread the client's callbacks run on
     */
    public static Future<DittoWebSocket> connect(Context context, URI endpoint, String user, String password,
                                                 String callbackThreadName) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(callbackThreadName, "callbackThreadName");
        AtomicReference<DittoClient> connectedClient = new AtomicReference<>();
        ConnectionState link = new ConnectionState(context.owner(), "Ditto WebSocket " + endpoint,
                () -> connectedClient.get() == null
                        ? CompletableFuture.failedFuture(new IllegalStateException("no client"))
                        : connectedClient.get().twin().retrieve(READINESS_PROBE_THING), LINK_PROBE_MILLIS);
        var messaging = WebSocketMessagingConfiguration.newBuilder()
                .endpoint(endpoint.toString())
                .jsonSchemaVersion(JsonSchemaVersion.V_2)
                .reconnectEnabled(true)
                .initialConnectRetryEnabled(true)
                .timeout(REQUEST_TIMEOUT)
                .connectionErrorHandler(error -> LOG.warn("Ditto WebSocket {}: {}", endpoint, error.toString()))
                .disconnectedListener(lost -> link.disconnected(lost.getCause().map(Throwable::toString)
                        .orElse("the WebSocket was closed")))
                .build();
        var authentication = AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                .username(Objects.requireNonNull(user, "user"))
                .password(Objects.requireNonNull(password, "password")).build());
        ExecutorService callbacks = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, callbackThreadName);
            thread.setDaemon(true);
            return thread;
        });
        var disconnected = DittoClients.newInstance(MessagingProviders.webSocket(messaging, authentication, callbacks));
        return Future.fromCompletionStage(disconnected.connect(), context)
                .map(client -> {
                    connectedClient.set(client);
                    link.connected();
                    return new DittoWebSocket(client, callbacks, link);
                })
                .onFailure(failure -> {
                    link.close();
                    disconnected.destroy();
                    callbacks.shutdownNow();
                });
    }

    /** The connected client. */
    public DittoClient client() {
        return client;
    }

    /** Readiness: the WebSocket is connected (down on a disconnect until a retrieve round-trips again). */
    public HealthCheck link() {
        return link;
    }

    /**
     * Another link to the same Ditto was lost: the client may not have noticed yet (it reports a closed WebSocket
     * only after a while), so {@link #link()} is down from now until a retrieve round-trips again.
     */
    public void doubt(String why) {
        link.disconnected(why);
    }

    /** Stops probing, closes the WebSocket and ends the callback thread. */
    @Override
    public void close() {
        link.close();
        client.destroy();
        callbacks.shutdownNow();
    }
}
