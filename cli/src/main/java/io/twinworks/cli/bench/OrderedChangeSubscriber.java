package io.twinworks.cli.bench;

import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.client.DittoClient;
import org.eclipse.ditto.client.DittoClients;
import org.eclipse.ditto.client.changes.ThingChange;
import org.eclipse.ditto.client.configuration.BasicAuthenticationConfiguration;
import org.eclipse.ditto.client.configuration.WebSocketMessagingConfiguration;
import org.eclipse.ditto.client.messaging.AuthenticationProviders;
import org.eclipse.ditto.client.messaging.MessagingProviders;
import org.eclipse.ditto.client.options.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A ditto-client subscribed to twin changes over {@code /ws/2} whose handler sees the changes one at a
 * time, in the order they arrived on the WebSocket.
 *
 * <p>Why its own executor: ditto-client hands every incoming message (and then every matching change
 * handler) to the executor of its messaging provider, by default a pool of up to 8 threads per core
 * with a hand-off queue. Two change events of one thing, arriving back to back in one frame burst, then
 * run on two threads and reach the handler in either order — the benchmark counted thousands of
 * "reordered" events that the server had sent in order. One thread with a FIFO queue keeps the arrival
 * order through both hand-offs, which is what per-thing order means to a subscriber.
 */
public final class OrderedChangeSubscriber implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OrderedChangeSubscriber.class);
    private static final String REGISTRATION = "twinworks-bench";

    private final ExecutorService dispatch;
    private final DittoClient client;

    private OrderedChangeSubscriber(ExecutorService dispatch, DittoClient client) {
        this.dispatch = dispatch;
        this.client = client;
    }

    /**
     * Connects, registers {@code onChange} for every twin change the user may read, and starts consuming.
     *
     * @param endpoint the {@code ws://host:port} of the Ditto API
     * @param timeout  how long connecting and starting the consumption may take
     * @param onChange called on one thread, change by change in arrival order
     */
    public static OrderedChangeSubscriber connect(URI endpoint, String user, String password, Duration timeout,
                                                  Consumer<ThingChange> onChange) throws Exception {
        return connect(endpoint, user, password, timeout, null, onChange);
    }

    /**
     * As {@link #connect(URI, String, String, Duration, Consumer)}, for the changes that pass a Ditto RQL
     * filter only, evaluated by the server ({@code START-SEND-EVENTS?filter=...}), e.g. an operator
     * watching one asset.
     *
     * @param rqlFilter the filter, or {@code null} for every change the user may read
     */
    public static OrderedChangeSubscriber connect(URI endpoint, String user, String password, Duration timeout,
                                                  String rqlFilter, Consumer<ThingChange> onChange) throws Exception {
        Objects.requireNonNull(onChange, "onChange");
        ExecutorService dispatch = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "bench-ditto-changes");
            thread.setDaemon(true);
            return thread;
        });
        try {
            var messaging = WebSocketMessagingConfiguration.newBuilder()
                    .endpoint(endpoint.toString())
                    .jsonSchemaVersion(JsonSchemaVersion.V_2)
                    .reconnectEnabled(false)
                    .timeout(timeout)
                    .connectionErrorHandler(error -> LOG.warn("Ditto WebSocket {}: {}", endpoint, error.toString()))
                    .build();
            var authentication = AuthenticationProviders.basic(BasicAuthenticationConfiguration.newBuilder()
                    .username(user).password(password).build());
            DittoClient client = DittoClients.newInstance(MessagingProviders.webSocket(messaging, authentication, dispatch))
                    .connect().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            OrderedChangeSubscriber subscriber = new OrderedChangeSubscriber(dispatch, client);
            try {
                client.twin().registerForThingChanges(REGISTRATION, onChange::accept);
                (rqlFilter == null ? client.twin().startConsumption()
                        : client.twin().startConsumption(Options.Consumption.filter(rqlFilter)))
                        .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                subscriber.close();
                throw e;
            }
            return subscriber;
        } catch (Exception e) {
            dispatch.shutdownNow();
            throw e;
        }
    }

    /** Disconnects and stops the dispatch thread. */
    @Override
    public void close() {
        try {
            client.destroy();
        } finally {
            dispatch.shutdownNow();
        }
    }
}
