package io.twinworks.localstack.hono.kafka;

/** Kafka cannot take a record now (write queue full, producer closed); the device may retry later. */
public final class NorthboundUnavailableException extends RuntimeException {

    /** Creates the exception with a message saying why. */
    public NorthboundUnavailableException(String message) {
        super(message);
    }
}
