package io.twinworks.core.ditto;

import io.twinworks.core.retry.Backoff;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
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
                reconnect, Duration.ofMillis(300), Duration.ofSeconds(10));
    }

    private static void complete(io.vertx.core.Future<?> future) throws Exception {
        future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /**
     * A TCP relay between the stream and the peer that can go silent: a frozen relay drops what either side sends
     * without closing anything, as a peer behind a pulled cable or a dropped NAT entry does. New connections are
     * relayed normally.
     */
    private int relay(AtomicBoolean frozen) throws Exception {
        NetClient toPeer = vertx.createNetClient();
        NetServer relay = vertx.createNetServer().connectHandler(fromStream -> {
            fromStream.pause();
            toPeer.connect(port, "127.0.0.1").onSuccess(peer -> {
                boolean[] silent = {false};
                Handler<Buffer> toPeerUnlessFrozen = data -> {
                    silent[0] |= frozen.get();
                    if (!silent[0]) {
                        peer.write(data);
                    }
                };
                fromStream.handler(toPeerUnlessFrozen);
                peer.handler(data -> {
                    silent[0] |= frozen.get();
                    if (!silent[0]) {
                        fromStream.write(data);
                    }
                });
                // a relayed connection that went silent stays open whatever the other side does
                fromStream.closeHandler(v -> {
                    if (!silent[0]) {
                        peer.close();
                    }
                });
                peer.closeHandler(v -> {
                    if (!silent[0]) {
                        fromStream.close();
                    }
                });
                fromStream.resume();
            }).onFailure(failure -> fromStream.close());
        });
        return relay.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
    }

    // ------------------------------------------------------------------ losses first

    @Test
    void aSessionThatReceivesNothingForThreeKeepAlivesIsTakenForDeadAndOpenedAgain() throws Exception {
        AtomicBoolean frozen = new AtomicBoolean();
        int relayPort = relay(frozen);
        DittoEventStream.Settings throughRelay = new DittoEventStream.Settings(URI.create("ws://127.0.0.1:" + relayPort),
                "analytics", "secret", null, null, FAST, Duration.ofSeconds(5), Duration.ofMillis(200));
        stream = DittoEventStream.open(vertx.getOrCreateContext(), throughRelay, text -> { });
        complete(stream.subscribed());
        List<String> losses = new CopyOnWriteArrayList<>();
        stream.whenLost(losses::add);

        frozen.set(true);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.closedUnexpectedly() == 1);
        assertThat(losses).singleElement().asString().startsWith("nothing received (no event, no pong) for ")
                .endsWith("ms: taken for dead");
        assertThat(stream.subscription().check().up()).isFalse();

        frozen.set(false);
        await().atMost(Duration.ofSeconds(10)).until(() -> stream.subscription().check().up());
        assertThat(stream.subscriptions()).isEqualTo(2);
    }

    @Test
    void aQuietButLiveSessionStaysSubscribedOnItsPongs() throws Exception {
        List<Long> pingsSeen = new CopyOnWriteArrayList<>();
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = listen(0);
        stream = DittoEventStream.open(vertx.getOrCreateContext(), settings(FAST).withKeepAlive(Duration.ofMillis(300)),
                text -> { });
        complete(stream.subscribed());
        sessions.get(0).frameHandler(frame -> {
            if (frame.type() == io.vertx.core.http.WebSocketFrameType.PING) {
                pingsSeen.add(System.nanoTime());
            }
        });

        Thread.sleep(3_000);   // ten keep-alive intervals without a single event

        assertThat(pingsSeen).as("pings the peer answered").hasSizeGreaterThanOrEqualTo(5);
        assertThat(stream.closedUnexpectedly()).isZero();
        assertThat(stream.subscriptions()).isEqualTo(1);
        assertThat(stream.subscription().check().up()).isTrue();
        assertThat(sessions).hasSize(1);
    }

    @Test
    void aKeepAliveShorterThanAMillisecondIsRefused() {
        DittoEventStream.Settings settings = settings(null);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> settings.withKeepAlive(Duration.ofNanos(999_999)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keep-alive");
    }

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
                "and(eq(attributes/site,\"a & b\"),exists(features/x))", "plant.a,plant.b", null, Duration.ofSeconds(1),
                Duration.ofSeconds(10));
        assertThat(both.startMessage()).isEqualTo("START-SEND-EVENTS?filter=and%28eq%28attributes%2Fsite%2C%22a+%26+b%22%29%2C"
                + "exists%28features%2Fx%29%29&namespaces=plant.a%2Cplant.b");
    }
}
