package io.twinworks.localstack.ditto.ws;

import io.twinworks.localstack.ditto.service.DittoSignals;
import org.eclipse.ditto.base.model.entity.id.EntityId;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.policies.model.PolicyException;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.signals.commands.PolicyErrorResponse;
import org.eclipse.ditto.protocol.Adaptable;
import org.eclipse.ditto.protocol.HeaderTranslator;
import org.eclipse.ditto.protocol.ProtocolFactory;
import org.eclipse.ditto.protocol.adapter.DittoProtocolAdapter;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.ThingErrorResponse;

/**
 * Turns outgoing signals into Ditto Protocol JSON text frames, with only the headers Ditto shows
 * to clients (internal ones such as the authorization context, read subjects or origin stay inside).
 */
final class ProtocolJson {

    static final DittoProtocolAdapter ADAPTER = DittoSignals.PROTOCOL_ADAPTER;
    private static final HeaderTranslator HEADERS = ADAPTER.headerTranslator();

    private ProtocolJson() {
    }

    /** The headers of a signal as a client may see them. */
    static DittoHeaders external(DittoHeaders headers) {
        return DittoHeaders.of(HEADERS.toExternalHeaders(headers));
    }

    /** The headers a client may set (internal ones it sends are dropped). */
    static DittoHeaders fromClient(DittoHeaders headers) {
        return DittoHeaders.of(HEADERS.fromExternalHeaders(headers));
    }

    /** The Ditto Protocol message of a signal, with external headers only. */
    static Adaptable toAdaptable(Signal<?> signal) {
        Adaptable adaptable = ADAPTER.toAdaptable(signal);
        return ProtocolFactory.newAdaptableBuilder(adaptable)
                .withHeaders(external(adaptable.getDittoHeaders()))
                .build();
    }

    /** The text frame of a Ditto Protocol message, with {@code extra} fields when non-empty. */
    static String toText(Adaptable adaptable, JsonObject extra) {
        Adaptable withExtra = extra == null || extra.isEmpty() ? adaptable : ProtocolFactory.setExtra(adaptable, extra);
        return ProtocolFactory.wrapAsJsonifiableAdaptable(withExtra).toJsonString();
    }

    /** The text frame of a signal. */
    static String toText(Signal<?> signal) {
        return toText(toAdaptable(signal), null);
    }

    /**
     * The Ditto Protocol error response of an exception, as Ditto's WebSocket builds it: a policy error
     * response for policy errors, a thing error response otherwise ({@code <ns>/<name>/things/twin/errors},
     * {@code _/_/things/twin/errors} when no thing is known), with the exception's headers.
     */
    static Signal<?> errorResponse(DittoRuntimeException error, EntityId entityId) {
        DittoHeaders headers = error.getDittoHeaders();
        if (error instanceof PolicyException || entityId instanceof PolicyId) {
            return entityId instanceof PolicyId policyId
                    ? PolicyErrorResponse.of(policyId, error, headers)
                    : PolicyErrorResponse.of(error, headers);
        }
        if (entityId instanceof ThingId thingId) {
            return ThingErrorResponse.of(thingId, error, headers);
        }
        if (entityId != null) {
            try {
                return ThingErrorResponse.of(ThingId.of(entityId), error, headers);
            } catch (RuntimeException notAThingId) {
                // fall through: an entity ID that is no thing ID (e.g. a connection) gets the anonymous topic
            }
        }
        return ThingErrorResponse.of(error, headers);
    }
}
