package io.twinworks.localstack.ditto.ws;

/**
 * What a WebSocket session can subscribe to with Ditto's protocol control messages
 * ({@code START-SEND-EVENTS}, {@code STOP-SEND-EVENTS}, ...).
 */
enum StreamingType {
    /** Twin events (changes persisted by the twin service). */
    EVENTS("EVENTS"),
    /** Live messages ({@code things/live/messages/...}). */
    MESSAGES("MESSAGES"),
    /** Live commands ({@code things/live/commands/...}). */
    LIVE_COMMANDS("LIVE-COMMANDS"),
    /** Live events ({@code things/live/events/...}). */
    LIVE_EVENTS("LIVE-EVENTS");

    private final String startMessage;
    private final String stopMessage;

    StreamingType(String suffix) {
        this.startMessage = "START-SEND-" + suffix;
        this.stopMessage = "STOP-SEND-" + suffix;
    }

    /** The control message starting this stream, e.g. {@code START-SEND-EVENTS}. */
    String startMessage() {
        return startMessage;
    }

    /** The control message stopping this stream, e.g. {@code STOP-SEND-EVENTS}. */
    String stopMessage() {
        return stopMessage;
    }
}
