package io.twinworks.adapters.hono;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.adapters.StackFixture;
import io.twinworks.adapters.outbox.Outbox;
import io.twinworks.adapters.outbox.OverflowPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A command sent at the earliest moment a device is subscribed — right after the SUBACK, while the adapter is
 * still inside its connect step — is answered, every time, with one send and no resend.
 *
 * <p>The real Paho client talks to the real local stack; a wrapper around it writes the Hono command to Kafka as
 * soon as the subscription is acknowledged and keeps the connect step open until the adapter has published the
 * response (or 5 s passed). That is the moment of the lost command: the adapter answered through the client it
 * had not made current yet, found none (or the old one) and dropped the response with a log line.
 */
class CommandAtFirstSubscriptionIT {

    private static final int ROUNDS = 20;

    @TempDir
    Path dir;

    private StackFixture stack;

    @BeforeEach
    void startStack() throws Exception {
        stack = new StackFixture(dir, List.of());
    }

    @AfterEach
    void stopStack() {
        if (stack != null) {
            stack.close();
        }
    }

    @ParameterizedTest
    @EnumSource(HonoSettings.MqttProtocol.class)
    void aCommandSentRightAfterTheSubscriptionIsAnsweredEveryTime(HonoSettings.MqttProtocol protocol) throws Exception {
        HonoSettings settings = stack.soloSettings(protocol);
        List<String> correlationIds = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            AtomicReference<String> sent = new AtomicReference<>();
            OutboxForwarder.ClientFactory real = OutboxForwarder.clientFactory(settings);
            OutboxForwarder.ClientFactory commandOnSubscribe = () -> new CommandOnSubscribe(real.create(),
                    () -> sent.set(stack.produceCommand(StackFixture.SOLO, "ping", "{\"round\":1}")));
            try (HonoUplink uplink = HonoUplink.open(settings,
                    new OutboxSettings(dir.resolve("outbox-" + protocol + "-" + round + ".db"), 1_000,
                            OverflowPolicy.REJECT_NEW, Outbox.SyncMode.NORMAL, 2048, 100, 1_000, 0),
                    command -> CommandResult.of(200, "{\"pong\":true}"), commandOnSubscribe, new SimpleMeterRegistry())) {
                uplink.start();
                StackFixture.CommandResponse response = stack.awaitCommandResponse(awaitSent(sent), Duration.ofSeconds(20));
                assertThat(response.status()).as("round %d", round).isEqualTo(200);
                assertThat(response.payload()).contains("pong");
                correlationIds.add(sent.get());
            }
        }
        assertThat(correlationIds).hasSize(ROUNDS).doesNotHaveDuplicates();
    }

    private static String awaitSent(AtomicReference<String> sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (sent.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sent.get()).as("the adapter connected and subscribed").isNotNull();
        return sent.get();
    }

    /** The real client; writes a command once subscribed and holds the connect step until the response is published. */
    private static final class CommandOnSubscribe implements HonoClient {
        private final HonoClient delegate;
        private final Runnable sendCommand;
        private final CountDownLatch responsePublished = new CountDownLatch(1);

        CommandOnSubscribe(HonoClient delegate, Runnable sendCommand) {
            this.delegate = delegate;
            this.sendCommand = sendCommand;
        }

        @Override
        public void setListener(Listener listener) {
            delegate.setListener(listener);
        }

        @Override
        public void connect(long timeoutMillis, String commandFilter) throws Exception {
            delegate.connect(timeoutMillis, commandFilter);
            sendCommand.run();
            responsePublished.await(5, TimeUnit.SECONDS);
        }

        @Override
        public boolean isConnected() {
            return delegate.isConnected();
        }

        @Override
        public void publish(String topic, byte[] payload, int qos, String contentType, PublishCallback callback)
                throws Exception {
            delegate.publish(topic, payload, qos, contentType, callback);
            if (topic.startsWith("command///res/") || topic.startsWith("command//")) {
                responsePublished.countDown();
            }
        }

        @Override
        public void disconnect() {
            delegate.disconnect();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
