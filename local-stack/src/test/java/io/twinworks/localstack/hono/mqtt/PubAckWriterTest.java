package io.twinworks.localstack.hono.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PubAckWriter} against the general path ({@code publishAcknowledge} per PUBACK) on a real Vert.x MQTT
 * server and a raw TCP client: the bytes a device receives are the same for MQTT 3.1.1 and 5, seeded random
 * packet IDs and reason codes, PUBACKs followed by a DISCONNECT; a closed connection refuses alike.
 */
@ExtendWith(VertxExtension.class)
class PubAckWriterTest {

    private static final MqttPubAckReasonCode[] CODES = {MqttPubAckReasonCode.SUCCESS,
            MqttPubAckReasonCode.NO_MATCHING_SUBSCRIBERS, MqttPubAckReasonCode.UNSPECIFIED_ERROR,
            MqttPubAckReasonCode.NOT_AUTHORIZED, MqttPubAckReasonCode.TOPIC_NAME_INVALID,
            MqttPubAckReasonCode.QUOTA_EXCEEDED, MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID};

    /** How the server side answers the PUBLISHes: one PUBACK each (in PUBLISH order), then close or DISCONNECT. */
    private record Script(MqttVersion version, List<Integer> packetIds, List<MqttPubAckReasonCode> codes,
                          boolean disconnectAfter) {
    }

    private Vertx vertx;
    private MqttServer server;
    private volatile Consumer<MqttEndpoint> onConnected;

    @BeforeEach
    void start(Vertx vertx) throws Exception {
        this.vertx = vertx;
        server = MqttServer.create(vertx, new MqttServerOptions().setHost("127.0.0.1").setPort(0));
        server.endpointHandler(endpoint -> {
            endpoint.accept(false);
            endpoint.publishAutoAck(false);
            onConnected.accept(endpoint);
        });
        await(server.listen());
    }

    @AfterEach
    void stop() throws Exception {
        await(server.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void aClosedConnectionRefusesThePubAckAsPublishAcknowledgeDoes() throws Exception {
        CompletableFuture<List<String>> refusals = new CompletableFuture<>();
        onConnected = endpoint -> endpoint.closeHandler(v -> {
            List<String> outcomes = new ArrayList<>();
            PubAckWriter writer = new PubAckWriter(endpoint, vertx.getOrCreateContext());
            outcomes.add("batches=" + writer.batches());
            try {
                endpoint.publishAcknowledge(1, MqttPubAckReasonCode.SUCCESS, MqttProperties.NO_PROPERTIES);
                outcomes.add("general: sent");
            } catch (IllegalStateException e) {
                outcomes.add("general: refused");
            }
            try {
                writer.acknowledge(1, MqttPubAckReasonCode.SUCCESS);
                outcomes.add("batched: sent");
            } catch (IllegalStateException e) {
                outcomes.add("batched: refused");
            }
            refusals.complete(outcomes);
        });
        NetSocket socket = await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
        await(socket.write(Buffer.buffer(encode(MqttVersion.MQTT_5, List.of()))));
        await(socket.close());
        assertThat(refusals.get(10, TimeUnit.SECONDS))
                .containsExactly("batches=true", "general: refused", "batched: refused");
    }

    @Test
    void pubAcksThenADisconnectArriveInOrderAsWithTheGeneralPath() throws Exception {
        Script script = new Script(MqttVersion.MQTT_5, List.of(7, 8, 9),
                List.of(MqttPubAckReasonCode.SUCCESS, MqttPubAckReasonCode.QUOTA_EXCEEDED, MqttPubAckReasonCode.SUCCESS),
                true);
        assertThat(hex(received(script, true))).isEqualTo(hex(received(script, false)));
    }

    @Test
    void mqtt311PubAcksAreTheBytesOfTheGeneralPathForManySeededRandomPacketIds() throws Exception {
        Random random = new Random(311L);
        for (int round = 0; round < 10; round++) {
            Script script = randomScript(random, MqttVersion.MQTT_3_1_1);
            assertThat(hex(received(script, true))).as("round %d", round).isEqualTo(hex(received(script, false)));
        }
    }

    @Test
    void mqtt5PubAcksAreTheBytesOfTheGeneralPathForManySeededRandomPacketIdsAndReasonCodes() throws Exception {
        Random random = new Random(5L);
        for (int round = 0; round < 10; round++) {
            Script script = randomScript(random, MqttVersion.MQTT_5);
            byte[] batched = received(script, true);
            assertThat(hex(batched)).as("round %d", round).isEqualTo(hex(received(script, false)));
            assertThat(batched.length).as("CONNACK and a PUBACK per PUBLISH").isGreaterThan(4 * script.packetIds().size());
        }
    }

    private static Script randomScript(Random random, MqttVersion version) {
        int count = 1 + random.nextInt(50);
        List<Integer> ids = new ArrayList<>();
        List<MqttPubAckReasonCode> codes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            // packet IDs 1..65535, the extremes included
            int pick = random.nextInt(10);
            ids.add(pick == 0 ? 1 : pick == 1 ? 65_535 : 1 + random.nextInt(65_535));
            codes.add(version == MqttVersion.MQTT_5 && random.nextInt(3) == 0 ? CODES[random.nextInt(CODES.length)]
                    : MqttPubAckReasonCode.SUCCESS);
        }
        return new Script(version, ids, codes, version == MqttVersion.MQTT_5 && random.nextBoolean());
    }

    /** Everything the raw client received (CONNACK, PUBACKs, maybe DISCONNECT) until the server closed. */
    private byte[] received(Script script, boolean batched) throws Exception {
        onConnected = endpoint -> {
            List<Integer> seen = new ArrayList<>();
            PubAckWriter writer = new PubAckWriter(endpoint, vertx.getOrCreateContext());
            assertThat(writer.batches()).isEqualTo(true);
            endpoint.publishHandler(message -> {
                seen.add(message.messageId());
                if (seen.size() < script.packetIds().size()) {
                    return;
                }
                // outside the read, as PUBACKs are sent once Kafka acknowledged
                vertx.runOnContext(v -> {
                    for (int i = 0; i < seen.size(); i++) {
                        MqttPubAckReasonCode code = script.codes().get(i);
                        if (batched) {
                            writer.acknowledge(seen.get(i), code);
                        } else if (script.version() == MqttVersion.MQTT_5) {
                            endpoint.publishAcknowledge(seen.get(i), code, MqttProperties.NO_PROPERTIES);
                        } else {
                            endpoint.publishAcknowledge(seen.get(i));
                        }
                    }
                    if (script.disconnectAfter()) {
                        endpoint.disconnect(MqttDisconnectReasonCode.QUOTA_EXCEEDED, MqttProperties.NO_PROPERTIES);
                    } else {
                        // after the flush task: the PUBACKs left before the connection closes
                        vertx.runOnContext(later -> vertx.runOnContext(end -> endpoint.close()));
                    }
                });
            });
        };
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        Buffer bytes = Buffer.buffer();
        NetSocket socket = await(vertx.createNetClient().connect(server.actualPort(), "127.0.0.1"));
        socket.handler(bytes::appendBuffer);
        socket.closeHandler(v -> all.complete(bytes.getBytes()));
        await(socket.write(Buffer.buffer(encode(script.version(), script.packetIds()))));
        return all.get(20, TimeUnit.SECONDS);
    }

    /** CONNECT and one QoS 1 PUBLISH per packet ID, encoded by Netty's MQTT encoder. */
    private static byte[] encode(MqttVersion version, List<Integer> packetIds) {
        EmbeddedChannel channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
        channel.writeOutbound(MqttMessageBuilders.connect().clientId("pubacks").protocolVersion(version)
                .cleanSession(true).keepAlive(60).build());
        for (int packetId : packetIds) {
            channel.writeOutbound(MqttMessageBuilders.publish().topicName("telemetry").qos(MqttQoS.AT_LEAST_ONCE)
                    .messageId(packetId).payload(Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.UTF_8))).build());
        }
        Buffer encoded = Buffer.buffer();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            encoded.appendBuffer(Buffer.buffer(out));
        }
        channel.finishAndReleaseAll();
        return encoded.getBytes();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
