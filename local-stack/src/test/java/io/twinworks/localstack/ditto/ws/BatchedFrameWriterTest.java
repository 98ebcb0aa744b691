package io.twinworks.localstack.ditto.ws;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BatchedFrameWriter} against the general path ({@code writeTextMessage} per frame) on real sockets:
 * the client sees the same frames (type, final flag, bytes) in the same order; closed sockets, messages
 * longer than a frame and a consumer that does not keep up behave as with the general path.
 */
@ExtendWith(VertxExtension.class)
class BatchedFrameWriterTest {

    /** A frame as the client received it. */
    private record Received(String type, boolean last, String bytes) {
        static Received of(WebSocketFrame frame) {
            // ISO-8859-1 maps each byte to one char: equal strings are equal bytes
            return new Received(frame.type().name(), frame.isFinal(),
                    new String(frame.binaryData().getBytes(), StandardCharsets.ISO_8859_1));
        }

        @Override
        public String toString() {
            // a failure report names the frames, it does not print megabytes of them
            return type + (last ? " final " : " ") + bytes.length() + " bytes #" + Integer.toHexString(bytes.hashCode());
        }
    }

    private HttpServer server;
    private HttpClient client;
    /** What the next accepted server socket does, on its context. */
    private volatile Consumer<ServerWebSocket> onAccept;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        // the server side acts once the client said it is ready (its handlers are in place)
        server = await(vertx.createHttpServer().webSocketHandler(socket -> {
            Consumer<ServerWebSocket> action = onAccept;
            socket.textMessageHandler(ready -> action.accept(socket));
        }).listen(0, "127.0.0.1"));
        client = vertx.createHttpClient();
    }

    @AfterEach
    void stop() throws Exception {
        await(client.close());
        await(server.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    /** Connects, lets the server side act, and returns every frame the client got until the server closed. */
    private List<Received> framesFrom(Consumer<ServerWebSocket> serverSide) throws Exception {
        onAccept = serverSide;
        CompletableFuture<List<Received>> all = new CompletableFuture<>();
        List<Received> frames = new ArrayList<>();
        WebSocket socket = await(client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(server.actualPort()).setURI("/")));
        socket.frameHandler(frame -> {
            if (!frame.isClose()) {
                frames.add(Received.of(frame));
            }
        });
        socket.closeHandler(v -> all.complete(frames));
        await(socket.writeTextMessage("ready"));
        return all.get(20, TimeUnit.SECONDS);
    }

    @Test
    void aClosedSocketTakesNoFramesAndTheBatchDoesNotFail() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        List<Received> frames = framesFrom(socket -> {
            try {
                BatchedFrameWriter writer = new BatchedFrameWriter(socket);
                writer.write("before");
                writer.flush();
                socket.close();
                writer.write("after the close");
                writer.flush();
                failure.complete(null);
            } catch (RuntimeException e) {
                failure.complete(e);
            }
        });
        assertThat(failure.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(frames).extracting(BatchedFrameWriterTest::text).containsExactly("before");
    }

    @Test
    void aSocketClosedByThePeerMidBatchDropsTheRestWithoutFailing() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        onAccept = socket -> socket.closeHandler(v -> {
            // the peer's close arrived: the rest of a batch meets a closed socket
            try {
                BatchedFrameWriter writer = new BatchedFrameWriter(socket);
                writer.write("into a closed socket");
                writer.write("x".repeat(100_000));
                writer.flush();
                failure.complete(null);
            } catch (RuntimeException e) {
                failure.complete(e);
            }
        });
        WebSocket socket = await(client.webSocket(new WebSocketConnectOptions().setHost("127.0.0.1")
                .setPort(server.actualPort()).setURI("/")));
        await(socket.writeTextMessage("ready"));
        await(socket.close());
        assertThat(failure.get(10, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void unflushedFramesCountInTheWriteQueueSoASlowConsumerIsStillSeen() throws Exception {
        String frame = "y".repeat(20_000);
        CompletableFuture<int[]> fullAfter = new CompletableFuture<>();
        List<Received> frames = framesFrom(socket -> {
            BatchedFrameWriter writer = new BatchedFrameWriter(socket);
            int written = 0;
            while (!socket.writeQueueFull() && written < 1_000) {
                writer.write(frame);
                written++;
            }
            boolean fullBeforeFlush = socket.writeQueueFull();
            fullAfter.complete(new int[]{written, fullBeforeFlush ? 1 : 0});
            socket.drainHandler(v -> socket.close());
            writer.flush();
            if (!socket.writeQueueFull()) {
                socket.close();
            }
        });
        int[] outcome = fullAfter.get(10, TimeUnit.SECONDS);
        // Netty's default high-water mark is 64 KiB: full after 4 frames of 20 kB, none of them flushed yet
        assertThat(outcome[1]).as("write queue full before the flush").isEqualTo(1);
        assertThat(outcome[0]).isLessThan(10);
        assertThat(frames).hasSize(outcome[0]).allSatisfy(f -> assertThat(text(f)).isEqualTo(frame));
    }

    @Test
    void aMessageLongerThanOneFrameIsSplitAsWriteTextMessageSplitsItAndStaysInOrder() throws Exception {
        List<String> texts = List.of("first", "z".repeat(BatchedFrameWriter.MAX_SINGLE_FRAME_BYTES + 1), "last",
                "\u20ac".repeat(BatchedFrameWriter.MAX_SINGLE_FRAME_BYTES / 3 + 1), "after");
        assertThat(batched(texts)).isEqualTo(general(texts));
        assertThat(general(texts)).hasSizeGreaterThan(texts.size());
    }

    @Test
    void aBatchArrivesAsTheFramesWriteTextMessageSendsForManySeededRandomTexts() throws Exception {
        Random random = new Random(20261207L);
        for (int round = 0; round < 20; round++) {
            List<String> texts = new ArrayList<>();
            int count = 1 + random.nextInt(40);
            for (int i = 0; i < count; i++) {
                texts.add(randomText(random));
            }
            assertThat(batched(texts)).as("round %d", round).isEqualTo(general(texts));
        }
    }

    @Test
    void textsAtTheFrameSizeLimitAndOddCharactersArriveAsWithTheGeneralPath() throws Exception {
        int limit = BatchedFrameWriter.MAX_SINGLE_FRAME_BYTES;
        List<String> texts = List.of("", "a".repeat(limit), "a".repeat(limit - 1) + "\u00e9", "\u20ac".repeat(limit / 3),
                "\ud83d\ude00".repeat(limit / 4), "\ud83d\ude00".repeat(limit / 4 + 1), "{\"x\":\"\\u0000\"}", "\ud800",
                "tail");
        assertThat(batched(texts)).isEqualTo(general(texts));
    }

    private List<Received> general(List<String> texts) throws Exception {
        return framesFrom(socket -> {
            texts.forEach(socket::writeTextMessage);
            socket.close();
        });
    }

    private List<Received> batched(List<String> texts) throws Exception {
        return framesFrom(socket -> {
            BatchedFrameWriter writer = new BatchedFrameWriter(socket);
            assertThat(writer.batches()).as("the socket offers its channel: the batched path is taken").isTrue();
            texts.forEach(writer::write);
            writer.flush();
            socket.close();
        });
    }

    private static String text(Received frame) {
        return new String(frame.bytes().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }

    private static String randomText(Random random) {
        int kind = random.nextInt(6);
        int length = switch (kind) {
            case 0 -> 0;
            case 1 -> random.nextInt(8);
            case 2 -> random.nextInt(2_000);
            case 3 -> BatchedFrameWriter.MAX_SINGLE_FRAME_BYTES / 3 - 2 + random.nextInt(5);
            case 4 -> BatchedFrameWriter.MAX_SINGLE_FRAME_BYTES - 2 + random.nextInt(5);
            default -> random.nextInt(100_000);
        };
        char[] chars = new char[length];
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            chars[i] = pick < 6 ? (char) (' ' + random.nextInt(95)) : pick < 8 ? (char) (0xa0 + random.nextInt(0x700))
                    : pick < 9 ? (char) (0x4e00 + random.nextInt(0x1000)) : (char) random.nextInt(0x20);
        }
        String text = new String(chars);
        return random.nextInt(4) == 0 ? text + "\ud83d\ude00" + Arrays.toString(new int[]{length}) : text;
    }
}
