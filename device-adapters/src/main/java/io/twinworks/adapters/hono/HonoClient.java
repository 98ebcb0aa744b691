package io.twinworks.adapters.hono;

/**
 * An MQTT connection to Hono's MQTT adapter, independent of the MQTT version: Paho's mqttv3 client
 * ({@link PahoV3HonoClient}, MQTT 3.1.1) and mqttv5 client ({@link PahoV5HonoClient}) behind one
 * interface. No automatic reconnect and no Paho offline buffer: the outbox is the buffer, and the
 * {@link OutboxForwarder} decides when to reconnect.
 */
public interface HonoClient extends AutoCloseable {

    /** Receives what the connection reports; called on Paho's threads. */
    interface Listener {
        /** Ignores everything: the listener of a client nobody has listened to yet. */
        Listener NONE = new Listener() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, byte[] payload) {
            }
        };

        /** The connection broke (or the server disconnected us). */
        void connectionLost(Throwable cause);

        /** A message arrived on a subscribed topic (commands). */
        void messageArrived(String topic, byte[] payload);
    }

    /** The outcome of one publish; called on Paho's threads. */
    interface PublishCallback {
        /** QoS 1: PUBACK received (success); QoS 0: handed to the network. */
        void delivered();

        /**
         * The publish failed.
         *
         * @param cause     why
         * @param permanent {@code true} when the server refused this very message (MQTT 5 reason code)
         *                  and resending it would fail again
         */
        void failed(Throwable cause, boolean permanent);
    }

    /** Sets the listener; call before {@link #connect()}. */
    void setListener(Listener listener);

    /** Connects (clean session, blocking up to the timeout) and subscribes to the command filter at QoS 1. */
    void connect(long timeoutMillis, String commandFilter) throws Exception;

    /** Whether the connection is up. */
    boolean isConnected();

    /**
     * Publishes; the callback reports the outcome.
     *
     * @param contentType sent as MQTT 5 content type or, on 3.1.1, in the topic's property bag
     */
    void publish(String topic, byte[] payload, int qos, String contentType, PublishCallback callback) throws Exception;

    /** Disconnects, waiting briefly; errors are ignored. */
    void disconnect();

    @Override
    void close();
}
