package io.twinworks.adapters.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.adapters.codec.FrameException;
import io.twinworks.adapters.config.BridgeSettings;
import io.twinworks.adapters.hono.CommandHandler;
import io.twinworks.adapters.hono.CommandResult;
import io.twinworks.adapters.hono.HonoCommand;
import io.twinworks.adapters.hono.ReadingPublisher;
import io.twinworks.adapters.model.Reading;
import io.twinworks.adapters.model.ThingIds;
import io.twinworks.core.retry.Backoff;
import io.twinworks.hono.device.MqttV5Callbacks;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MQTT bridge: subscribes to the plant broker (Paho MQTT 5) with the mapping rules, turns each
 * message into a reading for the {@link ReadingPublisher}, and acknowledges it to the broker only
 * once it is stored in the outbox (manual acks). The session survives disconnects and broker
 * restarts (clean start off, session expiry), so QoS 1 messages published meanwhile are delivered
 * on reconnect. With a shared group, subscriptions are {@code $share/<group>/<filter>} and several
 * bridge instances split the plant's traffic.
 *
 * <p>Also carries Hono commands to the plant: a configured command becomes a publish on its topic.
 * Messages that match no rule, or whose payload cannot be decoded, are acknowledged (a broker
 * would redeliver them forever), counted in {@code adapter.frames.invalid{reason}} and logged.
 */
public final class PlantBrokerBridge implements CommandHandler, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlantBrokerBridge.class);
    private static final int LOGGED_ERRORS = 20;
    /** Between connect attempts to the plant broker; jittered so that shared-subscription replicas spread out. */
    private static final Backoff RECONNECT = Backoff.exponential(200, 10_000).withJitter(0.2);

    private final BridgeSettings settings;
    private final ReadingPublisher publisher;
    private final MeterRegistry meters;
    /** The connected client; {@code null} until the first connect succeeds. */
    private volatile @Nullable MqttAsyncClient client;
    private final Counter received;
    private final Counter duplicatesDropped;
    private final Counter connects;
    private final Map<String, Counter> invalid = new ConcurrentHashMap<>();
    private long errors;
    private final MqttConnectionOptions options = new MqttConnectionOptions();
    private final java.util.concurrent.atomic.AtomicBoolean reconnecting = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;

    public PlantBrokerBridge(BridgeSettings settings, ReadingPublisher publisher, MeterRegistry meters) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.meters = Objects.requireNonNull(meters, "meters");
        received = Counter.builder("adapter.bridge.received").description("messages from the plant broker").register(meters);
        duplicatesDropped = Counter.builder("adapter.bridge.duplicates.dropped")
                .description("plant messages stored already (same message ID, or a broker redelivery): acknowledged, not stored again")
                .register(meters);
        connects = Counter.builder("adapter.bridge.connects").register(meters);
        Gauge.builder("adapter.bridge.connected", () -> isConnected() ? 1 : 0).register(meters);
        // The broker keeps the session (subscriptions, queued QoS 1 messages) while we are away.
        options.setCleanStart(false);
        options.setSessionExpiryInterval(settings.sessionExpirySeconds());
        options.setAutomaticReconnect(false);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        if (settings.username() != null) {
            options.setUserName(settings.username());
        }
        if (settings.password() != null) {
            options.setPassword(settings.password().getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Connects (retrying in the background until the broker is reachable) and subscribes. */
    public void start() {
        reconnectInBackground();
    }

    /**
     * Connects until the broker answers, each time with a fresh Paho client under the same client ID:
     * the broker resumes the session and redelivers unacknowledged messages, and no client state
     * survives from the broken connection (Paho's own automatic reconnect did not resume delivery after
     * a broker restart here).
     */
    private void reconnectInBackground() {
        if (closed || !reconnecting.compareAndSet(false, true)) {
            return;
        }
        Thread retry = new Thread(() -> {
            Backoff.Delays delays = RECONNECT.delays();
            long delay = 0; // the first attempt at once
            try {
                while (!closed && !isConnected()) {
                    Thread.sleep(delay);
                    delay = delays.next();
                    connectOnce();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                reconnecting.set(false);
            }
        }, "plant-broker-connect");
        retry.setDaemon(true);
        retry.start();
    }

    private void connectOnce() {
        MqttAsyncClient fresh = null;
        try {
            fresh = new MqttAsyncClient(settings.uri(), settings.clientId(), new MemoryPersistence());
            fresh.setManualAcks(true);
            MqttAsyncClient self = fresh;
            fresh.setCallback(new MqttV5Callbacks() {
                @Override
                public void disconnected(MqttDisconnectResponse response) {
                    LOG.warn("plant broker {} disconnected: {}", settings.uri(),
                            response.getException() != null ? response.getException().toString() : response.getReasonString());
                    reconnectInBackground();
                }

                @Override
                public void mqttErrorOccurred(MqttException exception) {
                    LOG.warn("plant broker error: {}", exception.toString());
                }

                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    onMessage(self, topic, message);
                }
            });
            IMqttToken connected = fresh.connect(options);
            connected.waitForCompletion(15_000);
            MqttSubscription[] subscriptions = settings.rules().stream()
                    .map(rule -> new MqttSubscription(settings.sharedGroup() == null ? rule.filter()
                            : "$share/" + settings.sharedGroup() + "/" + rule.filter(), rule.qos()))
                    .toArray(MqttSubscription[]::new);
            fresh.subscribe(subscriptions).waitForCompletion(10_000);
            MqttAsyncClient old = client;
            client = fresh;
            closeQuietly(old);
            connects.increment();
            LOG.info("plant broker {} connected as {} (session present: {}), {} rules subscribed", settings.uri(),
                    settings.clientId(), connected.getSessionPresent(), subscriptions.length);
        } catch (MqttException e) {
            LOG.debug("plant broker connect failed: {}", e.toString());
            closeQuietly(fresh);
        }
    }

    private static void closeQuietly(@Nullable MqttAsyncClient old) {
        if (old == null) {
            return;
        }
        try {
            if (old.isConnected()) {
                old.disconnectForcibly(0, 1_000, false);
            }
            old.close(true);
        } catch (MqttException e) {
            LOG.debug("closing a plant broker client: {}", e.toString());
        }
    }

    /** Whether the plant broker connection is up. */
    public boolean isConnected() {
        MqttAsyncClient current = client;
        return current != null && current.isConnected();
    }

    private void onMessage(MqttAsyncClient receiver, String topic, MqttMessage message) {
        received.increment();
        try {
            handle(topic, message);
        } catch (RuntimeException e) {
            invalid("internal_error", topic, e.toString());
            LOG.error("plant message on {} failed", topic, e);
        }
        try {
            if (message.getQos() > 0) {
                receiver.messageArrivedComplete(message.getId(), message.getQos());
            }
        } catch (MqttException e) {
            LOG.warn("acknowledging plant message on {} failed (the broker will redeliver it): {}", topic, e.toString());
        }
    }

    /** SHA-256 of topic and payload (or message ID): identifies a plant message across a redelivery. */
    static String sourceKey(String topic, byte[] payload) {
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            digest.update(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(payload);
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    private void handle(String topic, MqttMessage message) {
        byte[] payload = message.getPayload();
        for (TopicRule rule : settings.rules()) {
            Optional<String> thingId = rule.thingId(topic);
            if (thingId.isEmpty()) {
                continue;
            }
            if (!ThingIds.isValid(thingId.get())) {
                invalid("invalid_thing_id", topic, "'" + thingId.get() + "' is not a thing ID");
                return;
            }
            Optional<String> messageId = rule.messageId(payload);
            String sourceKey = messageId.map(id -> sourceKey(topic, ("id:" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .orElse(message.getQos() > 0 ? sourceKey(topic, payload) : null);
            // with a message ID every duplicate is recognised; without one only the broker's own redeliveries
            // (DUP): identical payloads may be legitimate readings
            if ((messageId.isPresent() || message.isDuplicate()) && sourceKey != null && publisher.alreadyStored(sourceKey)) {
                duplicatesDropped.increment();
                LOG.debug("plant message on {} was stored already ({}); acknowledged, not stored again", topic,
                        messageId.map(id -> "message ID " + id).orElse("broker redelivery"));
                return;
            }
            try {
                publisher.telemetry(new Reading(thingId.get(), rule.decode(payload)), sourceKey);
            } catch (FrameException e) {
                invalid(e.reason(), topic, e.getMessage());
            } catch (IllegalArgumentException e) {
                invalid("invalid_reading", topic, e.getMessage());
            }
            return;
        }
        invalid("no_rule", topic, "no mapping rule matches the topic");
    }

    private synchronized void invalid(String reason, String topic, @Nullable String detail) {
        invalid.computeIfAbsent(reason, r -> Counter.builder("adapter.frames.invalid")
                .description("frames or payloads that could not be decoded").tag("port", "plant-broker")
                .tag("reason", r).register(meters)).increment();
        errors++;
        if (errors <= LOGGED_ERRORS || errors % 1000 == 0) {
            LOG.warn("invalid plant message on {} ({}; {} so far): {}", topic, reason, errors, detail);
        }
    }

    @Override
    public CommandResult handle(HonoCommand command) {
        BridgeSettings.CommandRoute route = settings.commands().get(command.name());
        CommandResult result;
        if (route == null) {
            result = CommandResult.of(404, "unknown command '" + command.name() + "'; known: " + settings.commands().keySet());
        } else if (!ThingIds.isValid(command.deviceId())) {
            result = CommandResult.of(400, "'" + command.deviceId() + "' is not a thing ID");
        } else if (!isConnected()) {
            result = CommandResult.of(503, "the plant broker is not connected");
        } else {
            String topic = route.topic()
                    .replace("{thingId}", command.deviceId())
                    .replace("{namespace}", ThingIds.namespace(command.deviceId()))
                    .replace("{name}", ThingIds.name(command.deviceId()))
                    .replace("{command}", command.name());
            MqttAsyncClient current = client;
            if (current == null) {
                result = CommandResult.of(503, "not connected to the plant broker yet");
            } else {
                try {
                    MqttMessage message = new MqttMessage(command.payload());
                    message.setQos(route.qos());
                    current.publish(topic, message).waitForCompletion(5_000);
                    result = CommandResult.of(200, "published to " + topic);
                } catch (MqttException e) {
                    result = CommandResult.of(503, "publishing to the plant broker failed: " + e.getMessage());
                }
            }
        }
        Counter.builder("adapter.commands.handled").tag("status", String.valueOf(result.status())).register(meters).increment();
        LOG.info("command {} for {} answered {}", command.name(), command.deviceId(), result.status());
        return result;
    }

    @Override
    public void close() {
        closed = true;
        try {
            MqttAsyncClient current = client;
            if (current != null) {
                if (current.isConnected()) {
                    current.disconnect(2_000).waitForCompletion(2_000);
                }
                current.close(true);
            }
        } catch (MqttException e) {
            LOG.debug("closing the plant broker client: {}", e.toString());
        }
    }
}
