package io.twinworks.localstack.ditto.connections;

import io.twinworks.localstack.ditto.connectivity.HonoConnectionSettings;
import io.twinworks.localstack.ditto.connectivity.HonoTwinIngest;
import org.eclipse.ditto.connectivity.model.Connection;
import org.eclipse.ditto.connectivity.model.ConnectivityModelFactory;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;

import java.time.Instant;
import java.util.Objects;

/**
 * The local stack's Hono connection as Ditto's connections API shows a connection: a {@code kafka} connection whose
 * source consumes Hono's telemetry and event topics of every tenant (addresses are the topic pattern it subscribes to;
 * a real Ditto needs one connection per tenant), running as the configured subjects with the Ditto mapping. It is
 * built in and read-only (tags {@value #BUILT_IN_TAG}, {@value #READ_ONLY_TAG}): provisioning finds it instead of
 * creating one.
 *
 * @param settings       the ingest's settings (bootstrap servers, consumer group, subjects)
 * @param connectedSince when the ingest subscribed
 */
public record BuiltInConnection(HonoConnectionSettings settings, Instant connectedSince) {

    /** Its connection ID. */
    public static final String ID = "twinworks-hono";
    /** The tag that marks a connection built into the local stack. */
    public static final String BUILT_IN_TAG = "twinworks:built-in";
    /** The tag that says writes are refused. */
    public static final String READ_ONLY_TAG = "twinworks:read-only";

    public BuiltInConnection {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(connectedSince, "connectedSince");
    }

    /** The connection JSON, checked by Ditto's connectivity model. */
    public JsonObject toJson() {
        JsonArray subjects = JsonFactory.newArrayBuilder().addAll(settings.authorizationSubjects().stream()
                .map(JsonFactory::newValue).toList()).build();
        JsonObject source = JsonFactory.newObjectBuilder()
                .set("addresses", JsonFactory.newArrayBuilder().add("hono.telemetry.*", "hono.event.*").build())
                .set("consumerCount", 1)
                .set("qos", 1)
                .set("authorizationContext", subjects)
                .set("enforcement", JsonFactory.newObjectBuilder().set("input", "{{ header:device_id }}")
                        .set("filters", JsonFactory.newArrayBuilder().add("{{ entity:id }}").build()).build())
                .set("payloadMapping", JsonFactory.newArrayBuilder().add("Ditto").build())
                .build();
        JsonObject json = JsonFactory.newObjectBuilder()
                .set("id", ID)
                .set("name", "Built-in Hono connection of the Twinworks local stack (consumer group "
                        + settings.consumerGroupId() + ", topic pattern " + HonoTwinIngest.TOPIC_PATTERN + ")")
                .set("connectionType", "kafka")
                .set("connectionStatus", "open")
                .set("uri", "tcp://" + settings.bootstrapServers().split(",")[0])
                .set("specificConfig", JsonFactory.newObjectBuilder().set("bootstrapServers", settings.bootstrapServers())
                        .set("groupId", settings.consumerGroupId()).build())
                .set("sources", JsonFactory.newArrayBuilder().add(source).build())
                .set("targets", JsonFactory.newArray())
                .set("clientCount", 1)
                .set("failoverEnabled", true)
                .set("tags", JsonFactory.newArrayBuilder().add(BUILT_IN_TAG, READ_ONLY_TAG).build())
                .build();
        Connection parsed = ConnectivityModelFactory.connectionFromJson(json);
        return parsed.toJson();
    }

    /** The connection's status as {@code GET /api/2/connections/<id>/status} answers it. */
    public JsonObject status() {
        String since = connectedSince.toString();
        JsonObject client = JsonFactory.newObjectBuilder().set("type", "client").set("client", "local-stack")
                .set("status", "open").set("statusDetails", "consuming " + HonoTwinIngest.TOPIC_PATTERN)
                .set("inStateSince", since).build();
        JsonObject source = JsonFactory.newObjectBuilder().set("type", "source").set("client", "local-stack")
                .set("status", "open").set("address", "hono.telemetry.*, hono.event.*")
                .set("statusDetails", "consumer group " + settings.consumerGroupId()).set("inStateSince", since).build();
        return JsonFactory.newObjectBuilder()
                .set("connectionId", ID)
                .set("liveStatus", "open")
                .set("recoveryStatus", "succeeded")
                .set("connectedSince", since)
                .set("clientStatus", JsonFactory.newArrayBuilder().add(client).build())
                .set("sourceStatus", JsonFactory.newArrayBuilder().add(source).build())
                .set("targetStatus", JsonFactory.newArray())
                .set("sshTunnelStatus", JsonFactory.newArray())
                .build();
    }
}
