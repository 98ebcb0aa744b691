package io.twinworks.localstack.ditto.service;

import io.twinworks.localstack.ditto.model.TwinChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The in-process stream of persisted thing changes (Ditto {@code ThingEvent}s), which WebSocket,
 * SSE and Kafka targets subscribe to.
 *
 * <p>Subscribers are called on the twin service's single worker thread, right after the change was
 * committed and in revision order across all things; a subscriber must hand the change over to its
 * own Vert.x context (e.g. {@code context.runOnContext}) and return at once. A failing subscriber is
 * logged and does not affect others.
 */
public final class TwinEventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(TwinEventPublisher.class);

    private final List<Consumer<TwinChange>> subscribers = new CopyOnWriteArrayList<>();
    private final List<Consumer<List<TwinChange>>> batchSubscribers = new CopyOnWriteArrayList<>();

    /** A registration that can be cancelled. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        /** Stops delivering to the subscriber. */
        @Override
        void close();
    }

    /** Registers a subscriber for every change published from now on. */
    public Subscription subscribe(Consumer<TwinChange> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /**
     * Registers a subscriber that gets the changes of one store transaction at once, in order (one
     * hand-over to its context per transaction instead of one per change: the fan-out to many
     * WebSocket sessions under load).
     */
    public Subscription subscribeBatches(Consumer<List<TwinChange>> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        batchSubscribers.add(subscriber);
        return () -> batchSubscribers.remove(subscriber);
    }

    /** Delivers a change to every subscriber. */
    public void publish(TwinChange change) {
        publishAll(List.of(change));
    }

    /** Delivers changes, in order, to every subscriber: per change, or as one list to batch subscribers. */
    public void publishAll(List<TwinChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        for (Consumer<TwinChange> subscriber : subscribers) {
            for (TwinChange change : changes) {
                try {
                    subscriber.accept(change);
                } catch (RuntimeException e) {
                    LOG.warn("event subscriber failed on {}: {}", change.event().getType(), e.toString());
                }
            }
        }
        List<TwinChange> batch = List.copyOf(changes);
        for (Consumer<List<TwinChange>> subscriber : batchSubscribers) {
            try {
                subscriber.accept(batch);
            } catch (RuntimeException e) {
                LOG.warn("event subscriber failed on a batch of {} change(s): {}", batch.size(), e.toString());
            }
        }
    }
}
