package io.twinworks.localstack.ditto.connectivity;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.localstack.ditto.ws.LiveConnections;
import io.twinworks.localstack.ditto.ws.LiveSignalTarget;
import io.twinworks.localstack.hono.kafka.CommandConsumer;
import io.twinworks.localstack.hono.kafka.HonoKafkaHeaders;
import io.twinworks.localstack.hono.kafka.HonoTopic;
import io.twinworks.localstack.hono.kafka.NorthboundProducer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The outbound half of Ditto's Hono connection on the local stack: the target
 * {@code hono.command.<tenant>/{{ thing:id }}} with the topics {@code _/_/things/live/messages} and
 * {@code _/_/things/live/commands} and the source {@code hono.command_response.<tenant>}, both with the
 * {@code RawMessage} mapping ({@link HonoCommandMapping}), as {@code ditto-connections} declares them.
 *
 * <p>A message or live command the connection's subjects may READ becomes a Hono command of the tenant named
 * like the thing's namespace; the device's response (or Hono's 503 when no device is subscribed) becomes the
 * answer to the waiting caller through {@link LiveConnections}. Responses are read from the end of the
 * response topics at start (a response to a command sent before cannot concern anyone) and from the beginning
 * of response topics created later. Counters {@code twinworks.ditto.hono.commands{outcome}} and
 * {@code twinworks.ditto.hono.command.responses{outcome}}; every failure is logged with thing and
 * correlation ID, and the caller then gets Ditto's timeout.
 *
 * <p>Lifecycle: construct, {@link #start()} (attaches to the live channel once the response consumer sits at
 * the end of the existing response topics), {@link #stop()}.
 */
public final class HonoCommandTarget implements LiveSignalTarget {

    private static final Logger LOG = LoggerFactory.getLogger(HonoCommandTarget.class);
    private static final Pattern RESPONSE_TOPICS = Pattern.compile("hono\\.command_response\\..+");
    /** Ditto's default live timeout, for senders that name none. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_QUEUED_RECORDS = 10_000;

    private final Vertx vertx;
    private final LiveConnections live;
    private final AuthorizationContext authorizationContext;
    private final String bootstrapServers;
    private final MeterRegistry metrics;
    private final Map<String, HonoCommandMapping.SentCommand> awaitingResponse = new ConcurrentHashMap<>();
    /** Tenants whose response topic exists (created on their first command, as a Ditto connection's source would). */
    private final Set<String> responseTopicReady = ConcurrentHashMap.newKeySet();
    private NorthboundProducer producer;
    private CommandConsumer responses;
    private Admin admin;

    /**
     * @param vertx                the Vert.x instance
     * @param live                 the twin service's live channel
     * @param authorizationContext the connection's subjects (its target's {@code authorizationContext})
     * @param bootstrapServers     Hono's Kafka
     * @param metrics              where the counters go
     */
    public HonoCommandTarget(Vertx vertx, LiveConnections live, AuthorizationContext authorizationContext,
                             String bootstrapServers, MeterRegistry metrics) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.live = Objects.requireNonNull(live, "live");
        this.authorizationContext = Objects.requireNonNull(authorizationContext, "authorizationContext");
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Connects the producer and the response consumer, then attaches to the live channel. */
    public Future<Void> start() {
        return vertx.executeBlocking(() -> {
                    admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                            AdminClientConfig.CLIENT_ID_CONFIG, "twinworks-ditto-hono-commands-admin"));
                    // commands are few and a caller waits for each: the default batching, not the devices' one
                    return new NorthboundProducer(vertx, bootstrapServers, MAX_QUEUED_RECORDS,
                            NorthboundProducer.Batching.DEFAULT);
                }, false)
                .compose(created -> {
                    producer = created;
                    responses = new CommandConsumer(vertx, bootstrapServers, RESPONSE_TOPICS,
                            "twinworks-ditto-hono-command-responses", this::onResponse);
                    return responses.start();
                })
                .onSuccess(ready -> {
                    live.attach(this);
                    LOG.info("Hono connection forwards live messages and live commands to hono.command.<namespace>");
                });
    }

    /** Detaches from the live channel and closes the Kafka clients. */
    public Future<Void> stop() {
        live.detach(this);
        CommandConsumer consumer = responses;
        NorthboundProducer closingProducer = producer;
        Admin closingAdmin = admin;
        return vertx.executeBlocking(() -> {
            if (consumer != null) {
                consumer.close();
            }
            if (closingAdmin != null) {
                closingAdmin.close(Duration.ofSeconds(5));
            }
            if (closingProducer != null) {
                closingProducer.close();
            }
            return null;
        }, false);
    }

    @Override
    public String id() {
        return "hono-connection";
    }

    @Override
    public AuthorizationContext authorizationContext() {
        return authorizationContext;
    }

    @Override
    public boolean accepts(Signal<?> signal, ThingId thingId) {
        return signal instanceof MessageCommand<?, ?> || signal instanceof ThingCommand<?>;
    }

    @Override
    public void publish(Signal<?> signal, ThingId thingId, boolean responseExpected) {
        String correlationId = signal.getDittoHeaders().getCorrelationId().orElseGet(() -> UUID.randomUUID().toString());
        ProducerRecord<String, byte[]> record;
        try {
            record = HonoCommandMapping.commandRecord(signal, thingId, correlationId, responseExpected);
        } catch (HonoCommandMapping.UnmappableException e) {
            // as with Ditto's mapping failures: logged, counted, and the caller gets its timeout
            unmappable("commands", e.reason(), thingId, correlationId, e.getMessage());
            return;
        }
        if (responseExpected) {
            awaitingResponse.put(correlationId, HonoCommandMapping.sent(signal, thingId, correlationId));
            Duration timeout = signal.getDittoHeaders().getTimeout().orElse(DEFAULT_TIMEOUT);
            // the caller gives up after its timeout; the response cannot be used after that
            vertx.setTimer(Math.max(1, timeout.toMillis()) + 1_000, t -> awaitingResponse.remove(correlationId));
        }
        responseTopicReady(HonoCommandMapping.tenantOf(thingId))
                .compose(ready -> producer.send(record))
                .onSuccess(written -> {
                    metrics.counter("twinworks.ditto.hono.commands", "outcome", "published").increment();
                    LOG.debug("command for {} [correlation-id: {}] written to {}", thingId, correlationId,
                            record.topic());
                })
                .onFailure(e -> {
                    awaitingResponse.remove(correlationId);
                    metrics.counter("twinworks.ditto.hono.commands", "outcome", "publish-failed").increment();
                    LOG.warn("cannot write command for {} [correlation-id: {}] to {}: {}", thingId, correlationId,
                            record.topic(), e.toString());
                });
    }

    /**
     * Creates the tenant's response topic before its first command, so that the device's answer neither waits for
     * Kafka's auto-creation nor for the topic scan to find a topic created by the answer itself (a real Ditto
     * connection's source subscribes to it when it opens). Never fails: without the topic, Kafka creates it later.
     */
    private Future<Void> responseTopicReady(String tenant) {
        if (responseTopicReady.contains(tenant)) {
            return Future.succeededFuture();
        }
        String topic = new HonoTopic(HonoTopic.Type.COMMAND_RESPONSE, tenant).topicName();
        return Future.fromCompletionStage(admin.createTopics(List.of(new NewTopic(topic, Optional.empty(),
                        Optional.empty()))).all().toCompletionStage(), vertx.getOrCreateContext())
                .recover(e -> e instanceof TopicExistsException || e.getCause() instanceof TopicExistsException
                        ? Future.succeededFuture()
                        : Future.failedFuture(e))
                .onSuccess(created -> responseTopicReady.add(tenant))
                .otherwise(e -> {
                    LOG.warn("cannot create {} ahead of the first command: {}", topic, e.toString());
                    return null;
                })
                .mapEmpty();
    }

    private void onResponse(ConsumerRecord<String, byte[]> record) {
        String correlationId = HonoKafkaHeaders.stringValue(record.headers(), HonoKafkaHeaders.CORRELATION_ID)
                .orElse("");
        HonoCommandMapping.SentCommand sent = awaitingResponse.remove(correlationId);
        if (sent == null) {
            // another application's command, or a response after the caller's timeout
            metrics.counter("twinworks.ditto.hono.command.responses", "outcome", "not-awaited").increment();
            LOG.debug("command response [topic: {}, device: {}, correlation-id: {}] is awaited by nobody here",
                    record.topic(), record.key(), correlationId);
            return;
        }
        CommandResponse<?> response;
        try {
            response = HonoCommandMapping.response(record, sent);
        } catch (HonoCommandMapping.UnmappableException e) {
            unmappable("command.responses", e.reason(), sent.thingId(), correlationId, e.getMessage());
            return;
        }
        boolean delivered = live.respond(this, response);
        metrics.counter("twinworks.ditto.hono.command.responses", "outcome", delivered ? "answered" : "too-late")
                .increment();
    }

    private void unmappable(String meter, String reason, ThingId thingId, String correlationId, String message) {
        metrics.counter("twinworks.ditto.hono." + meter, "outcome", "unmappable-" + reason).increment();
        LOG.warn("Hono connection cannot map a {} of {} [correlation-id: {}]: {}",
                meter.equals("commands") ? "command" : "command response", thingId, correlationId, message);
    }
}
