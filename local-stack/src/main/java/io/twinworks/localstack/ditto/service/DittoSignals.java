package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.commands.CommandResponse;
import org.eclipse.ditto.json.JsonPointer;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.PayloadBuilder;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.TopicPath;
import org.eclipse.ditto.protocol.TopicPathBuilder;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.events.ThingEvent;

import java.time.Instant;

/**
 * Builds Ditto responses and events from (action, path, value) with Ditto's own protocol adapter,
 * so that the concrete signal class ({@code ModifyFeaturePropertyResponse},
 * {@code FeaturePropertyCreated}, {@code ThingMerged}, ...) is chosen exactly as Ditto maps its
 * protocol, for every resource path, without one hand-written case per command.
 */
public final class DittoSignals {

    /** The one protocol adapter of the twin service (thread-safe, immutable). */
    public static final DittoProtocolAdapter PROTOCOL_ADAPTER = DittoProtocolAdapter.newInstance();

    /** The command actions of Ditto Protocol topics. */
    public enum Action { CREATE, RETRIEVE, MODIFY, MERGE, DELETE }

    private DittoSignals() {
    }

    /** The topic path of a twin command on a thing, e.g. {@code ns/name/things/twin/commands/modify}. */
    public static TopicPath thingCommandTopic(ThingId thingId, Action action) {
        return withAction(ProtocolFactory.newTopicPathBuilder(thingId).things().twin(), action);
    }

    /** The topic path of a command on a policy, e.g. {@code ns/name/policies/commands/retrieve}. */
    public static TopicPath policyCommandTopic(PolicyId policyId, Action action) {
        return withAction(ProtocolFactory.newTopicPathBuilder(policyId).policies().none(), action);
    }

    private static TopicPath withAction(TopicPathBuilder builder, Action action) {
        var commands = builder.commands();
        return switch (action) {
            case CREATE -> commands.create().build();
            case RETRIEVE -> commands.retrieve().build();
            case MODIFY -> commands.modify().build();
            case MERGE -> commands.merge().build();
            case DELETE -> commands.delete().build();
        };
    }

    /** The response of a thing command. */
    public static CommandResponse<?> thingResponse(ThingId thingId, Action action, JsonPointer path,
                                                   JsonValue value, HttpStatus status, DittoHeaders headers) {
        return response(thingCommandTopic(thingId, action), path, value, status, headers);
    }

    /** The response of a policy command. */
    public static CommandResponse<?> policyResponse(PolicyId policyId, Action action, JsonPointer path,
                                                    JsonValue value, HttpStatus status, DittoHeaders headers) {
        return response(policyCommandTopic(policyId, action), path, value, status, headers);
    }

    private static CommandResponse<?> response(TopicPath topic, JsonPointer path, JsonValue value, HttpStatus status,
                                               DittoHeaders headers) {
        PayloadBuilder payload = ProtocolFactory.newPayloadBuilder(path).withStatus(status);
        if (value != null) {
            payload.withValue(value);
        }
        Adaptable adaptable = ProtocolFactory.newAdaptableBuilder(topic)
                .withPayload(payload.build())
                .withHeaders(headers)
                .build();
        Signal<?> signal = PROTOCOL_ADAPTER.fromAdaptable(adaptable);
        return (CommandResponse<?>) signal.setDittoHeaders(headers);
    }

    /**
     * A twin event of a thing (action {@code created}, {@code modified} or {@code deleted}); merges
     * are built as {@code ThingMerged} directly, since the adapter maps merged payloads by path.
     */
    public static ThingEvent<?> thingEvent(ThingId thingId, Action commandAction, boolean created, JsonPointer path,
                                           JsonValue value, long revision, Instant timestamp, DittoHeaders headers) {
        var events = ProtocolFactory.newTopicPathBuilder(thingId).things().twin().events();
        TopicPath topic = switch (commandAction) {
            case MERGE -> events.merged().build();
            case DELETE -> events.deleted().build();
            case CREATE -> events.created().build();
            default -> created ? events.created().build() : events.modified().build();
        };
        PayloadBuilder payload = ProtocolFactory.newPayloadBuilder(path).withRevision(revision).withTimestamp(timestamp);
        if (value != null) {
            payload.withValue(value);
        }
        Adaptable adaptable = ProtocolFactory.newAdaptableBuilder(topic)
                .withPayload(payload.build())
                .withHeaders(headers)
                .build();
        return (ThingEvent<?>) PROTOCOL_ADAPTER.fromAdaptable(adaptable).setDittoHeaders(headers);
    }
}
