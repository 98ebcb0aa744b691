package io.twinworks.core.ditto;

import io.twinworks.core.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The lean event subscriber against a peer that speaks the WebSocket side of Ditto's {@code /ws/2} protocol
 * as far as the subscriber uses it: Basic credentials, {@code START-SEND-EVENTS[?...]} answered by
 * {@code START-SEND-EVENTS:ACK}, then text frames. (The end-to-end behaviour against the local stack's Ditto is
 * covered by the analytics integration tests.)
 */
class DittoEventStreamTest {

    private static final Backoff FAST = Backoff.exponential(20, 100);
    private static final String CREDENTIALS = "Basic " + Base64.getEncoder().encodeToString("analytics:secret".getBytes(StandardCharsets.UTF_8));

    private final Vertx vertx = Vertx.vertx();
    private final List<String> controlMessages = new CopyOnWriteArrayList<>();
    private final List<ServerWebSocket> sessions = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean acknowledge = new AtomicBoolean(true);
    private HttpServer server;
    private int port;
    private DittoEventStream stream;

    @BeforeEach
    void startPeer() throws Exception {
        port = listen(0);
    }

    @AfterEach
    void stop() throws Exception {
        if (stream != null) {
            stream.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private int listen(int onPort) throws Exception {
        server = vertx.createHttpServer().webSocketHandler(socket -> {
            if (!"/ws/2".equals(socket.path())) {
                socket.reject(404);
                return;
            }
            authorizations.add(String.valueOf(socket.headers().get("Authorization")));
            sessions.add(socket);
            socket.textMessageHandler(text -> {
                controlMessages.add(text);
                if (text.startsWith("START-SEND-EVENTS") && acknowledge.get()) {
                    socket.writeTextMessage("START-SEND-EVENTS:ACK");
                }
            });
        });
        return server.listen(onPort, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    private DittoEventStream.Settings settings(Backoff reconnect) {
        return new DittoEventStream.Settings(URI.create("ws://127.0.0.1:" + port), "analytics", "secret", null, null,
                reconnect, Duration.ofMillis(300));
    }

    private static void complete(io.vertx.core.Future<?> future) throws Exception {
        future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ losses first

    @Test
    void aSessionThatIsNotAcknowledgedInTimeIsGivenUpAndOpenedAgain() throws Exception {
        acknowledge.set(false);
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(FAST), text -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> sessions.size() >= 2);
        assertThat(stream.subscription().check().up()).isFalse();
        assertThat(stream.subscription().check().detail()).contains("no START-SEND-EVENTS:ACK within 300 ms");
        acknowledge.set(true);
        complete(stream.subscribed());
        assertThat(stream.subscription().check().up()).isTrue();
        assertThat(controlMessages).allMatch("START-SEND-EVENTS"::equals);
    }

    @Test
    void aRefusedConnectionIsRetriedUntilDittoAnswers() throws Exception {
        int ditto = port;
        complete(server.close());
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(FAST), text -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.subscription().check().detail().contains("cannot connect"));
        assertThat(stream.subscription().check().up()).isFalse();
        listen(ditto);
        complete(stream.subscribed());
        assertThat(stream.subscription().check().up()).isTrue();
        assertThat(stream.subscriptions()).isEqualTo(1);
    }

    @Test
    void withoutAReconnectPolicyALostSessionStaysClosedAndIsCounted() throws Exception {
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(null), text -> { });
        complete(stream.subscribed());
        complete(sessions.get(0).close());
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.closedUnexpectedly() == 1);
        assertThat(stream.subscription().check().up()).isFalse();
        Thread.sleep(300);
        assertThat(sessions).hasSize(1);
    }

    @Test
    void withoutAReconnectPolicyAFirstSessionThatCannotOpenFailsTheSubscription() throws Exception {
        complete(server.close());
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(null), text -> { });
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.subscribed().failed());
        assertThat(stream.subscribed().cause().getMessage()).contains("cannot connect");
        assertThat(stream.closedUnexpectedly()).isZero();
    }

    @Test
    void aLostSessionIsDownUntilItsReconnectIsSubscribedAgainWithTheSameParameters() throws Exception {
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(Backoff.exponential(500, 500))
                .withFilter("exists(features/vibration)"), text -> { });
        List<String> losses = new CopyOnWriteArrayList<>();
        stream.whenLost(losses::add);
        complete(stream.subscribed());
        acknowledge.set(false);
        complete(sessions.get(0).close());
        await().atMost(Duration.ofSeconds(10)).until(() -> !stream.subscription().check().up());
        assertThat(stream.subscription().check().detail()).contains("the WebSocket closed");
        acknowledge.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.subscription().check().up());
        assertThat(stream.closedUnexpectedly()).isEqualTo(1);
        assertThat(losses).singleElement().asString().contains("the WebSocket closed");
        assertThat(stream.subscriptions()).isEqualTo(2);
        assertThat(controlMessages).last().isEqualTo(controlMessages.get(0))
                .isEqualTo("START-SEND-EVENTS?filter=exists%28features%2Fvibration%29");
    }

    @Test
    void aStoppedStreamDoesNotReconnect() throws Exception {
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(FAST), text -> { });
        List<String> losses = new CopyOnWriteArrayList<>();
        stream.whenLost(losses::add);
        complete(stream.subscribed());
        complete(stream.stop());
        Thread.sleep(300);
        assertThat(sessions).hasSize(1);
        assertThat(stream.subscription().check().up()).isFalse();
        assertThat(stream.closedUnexpectedly()).isZero();
        assertThat(losses).isEmpty();
    }

    // ------------------------------------------------------------------ the subscription

    @Test
    void framesReachTheHandlerInArrivalOrderOnTheCallersContextWithBasicCredentials() throws Exception {
        Context context = vertx.getOrCreateContext();
        AtomicReference<Thread> contextThread = new AtomicReference<>();
        context.runOnContext(v -> contextThread.set(Thread.currentThread()));
        List<String> received = new CopyOnWriteArrayList<>();
        List<Boolean> onContext = new CopyOnWriteArrayList<>();
        stream = DittoEventStream.open(context, settings(FAST), text -> {
            received.add(text);
            onContext.add(Thread.currentThread() == contextThread.get());
        });
        complete(stream.subscribed());
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            sent.add("{\"topic\":\"plant.a/pump-1/things/twin/events/merged\",\"revision\":" + i + "}");
        }
        ServerWebSocket session = sessions.get(0);
        sent.forEach(session::writeTextMessage);
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == sent.size());
        assertThat(received).containsExactlyElementsOf(sent);
        assertThat(onContext).containsOnly(true);
        assertThat(authorizations).containsExactly(CREDENTIALS);
    }

    @Test
    void theControlMessageCarriesFilterAndNamespacesUrlEncoded() {
        DittoEventStream.Settings plain = DittoEventStream.Settings.of(URI.create("http://localhost:8080"), "u", "p", null);
        assertThat(plain.startMessage()).isEqualTo("START-SEND-EVENTS");
        DittoEventStream.Settings both = new DittoEventStream.Settings(URI.create("ws://localhost:8080"), "u", "p",
                "and(eq(attributes/site,\"a & b\"),exists(features/x))", "plant.a,plant.b", null, Duration.ofSeconds(1));
        assertThat(both.startMessage()).isEqualTo("START-SEND-EVENTS?filter=and%28eq%28attributes%2Fsite%2C%22a+%26+b%22%29%2C"
                + "exists%28features%2Fx%29%29&namespaces=plant.a%2Cplant.b");
    }
}
