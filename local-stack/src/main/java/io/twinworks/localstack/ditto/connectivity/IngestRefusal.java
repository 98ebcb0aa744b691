package io.twinworks.localstack.ditto.connectivity;

/**
 * Why a consumed record was not applied to a twin. Each reason is a value of the {@code reason}
 * tag of the {@code twinworks.ditto.hono.ingest.refused} and {@code ...skipped} counters.
 */
public enum IngestRefusal {

    /** The record has no {@code device_id} header, so the connection's enforcement cannot be checked. */
    MISSING_DEVICE_ID("missing-device-id", true),
    /** The payload is empty or not a JSON object. */
    NOT_JSON("not-json", true),
    /** The payload is JSON but not a Ditto Protocol message Ditto's protocol adapter understands. */
    NOT_DITTO_PROTOCOL("not-ditto-protocol", true),
    /** A Ditto Protocol message, but not a twin command on a thing (e.g. an event, a live message). */
    UNSUPPORTED_SIGNAL("unsupported-signal", true),
    /** The command's thing ID differs from the record's {@code device_id} (enforcement {@code {{ entity:id }}}). */
    DEVICE_MISMATCH("device-mismatch", true),
    /** The thing does not exist or the connection may not read it (Ditto: 404 {@code things:thing.notfound}). */
    THING_NOT_FOUND("thing-not-found", true),
    /** The thing's policy does not let the connection's subjects do this (403). */
    NOT_AUTHORIZED("not-authorized", true),
    /** The change breaks the Thing Model the thing's {@code definition} names (400 {@code wot:payload.validation.error}). */
    INVALID_PAYLOAD("wot-validation", true),
    /** Any other refusal of the command by the twin service (4xx: missing feature, too large, conflict, ...). */
    COMMAND_REJECTED("command-rejected", true),
    /** A Hono notification (empty, device-provisioning, ...) that Ditto's mapper ignores by its content type. */
    HONO_NOTIFICATION("hono-notification", false),
    /** The message's {@code ttl} after its {@code creation-time} has passed, so Ditto ignores it. */
    EXPIRED("expired", false);

    private final String tag;
    private final boolean bad;

    IngestRefusal(String tag, boolean bad) {
        this.tag = tag;
        this.bad = bad;
    }

    /** The metric tag value. */
    public String tag() {
        return tag;
    }

    /**
     * {@code true} for a record that is wrong (counted as refused, logged as a warning);
     * {@code false} for one Ditto ignores by design (counted as skipped).
     */
    public boolean isBad() {
        return bad;
    }
}
