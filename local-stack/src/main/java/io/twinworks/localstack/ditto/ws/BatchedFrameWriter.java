package io.twinworks.localstack.ditto.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.impl.WebSocketInternal;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * Writes a batch of text frames to one WebSocket and flushes once: {@link ServerWebSocket#writeTextMessage}
 * flushes every frame on its own when called outside a read (the fan-out's hand-over is a task, not a read),
 * which is one {@code write} syscall per frame and session; on loopback the sender also pays the receiver's
 * TCP work (strace of the event loops in {@code bench ingest}: ~0.9 frame writes per message).
 *
 * <p>A frame goes to the connection's Netty channel handler context, the one Vert.x writes its own frames
 * through, as the same single final {@link TextWebSocketFrame} (no reserved bits; a compression extension
 * further down the pipeline treats it alike), so the bytes on the wire are those of
 * {@code writeTextMessage}. Messages longer than Vert.x's frame size, sockets that are no
 * {@link WebSocketInternal} and closed sockets take {@code writeTextMessage} (which splits, flushes, or
 * refuses as before); since that writes through the same context in call order, frames never overtake
 * each other. Unflushed frames count in the channel's outbound buffer like flushed ones, so
 * {@code writeQueueFull()} (the channel's writability) keeps telling a slow consumer. Not thread-safe:
 * use on the socket's context.
 */
final class BatchedFrameWriter {

    /** Vert.x splits longer text messages into continuation frames; such messages are left to it. */
    static final int MAX_SINGLE_FRAME_BYTES = HttpServerOptions.DEFAULT_MAX_WEBSOCKET_FRAME_SIZE;
    /** The most UTF-8 bytes a Java char encodes to: shorter strings fit one frame without counting. */
    private static final int MAX_UTF8_BYTES_PER_CHAR = 3;

    private final ServerWebSocket socket;
    private final @Nullable ChannelHandlerContext channel;
    private boolean unflushed;

    BatchedFrameWriter(ServerWebSocket socket) {
        this.socket = Objects.requireNonNull(socket, "socket");
        this.channel = socket instanceof WebSocketInternal internal ? internal.channelHandlerContext() : null;
    }

    /** Writes a text message; it leaves once {@link #flush()} runs (or a frame is written the general way). */
    void write(String text) {
        if (channel == null || socket.isClosed() || !fitsOneFrame(text)) {
            // the general way: flushes what was written before, in order
            socket.writeTextMessage(text);
            unflushed = false;
            return;
        }
        ByteBuf payload = ByteBufUtil.writeUtf8(channel.alloc(), text);
        channel.write(new TextWebSocketFrame(true, 0, payload), channel.voidPromise());
        unflushed = true;
    }

    /** Sends what {@link #write} left in the channel's outbound buffer. */
    void flush() {
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    /** Whether frames go to the channel unflushed (false: the socket is no {@link WebSocketInternal}). */
    boolean batches() {
        return channel != null;
    }

    private static boolean fitsOneFrame(String text) {
        return (long) text.length() * MAX_UTF8_BYTES_PER_CHAR <= MAX_SINGLE_FRAME_BYTES
                || ByteBufUtil.utf8Bytes(text) <= MAX_SINGLE_FRAME_BYTES;
    }
}
