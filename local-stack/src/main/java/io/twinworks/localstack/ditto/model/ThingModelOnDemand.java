package io.twinworks.localstack.ditto.model;

import org.eclipse.ditto.things.model.Thing;

import java.util.Objects;

/**
 * A stored thing as Ditto's {@link Thing} model, built the first time somebody asks for it and then kept.
 * Under ingest nobody asks for most changes' models (only subscriptions with {@code extraFields} and whole-thing
 * entity tags need them), and building one per change, even incrementally, was a quarter of the twin
 * service's CPU per command. Thread-safe: the stored thing is immutable, so two threads that race on the
 * first call build equal models and either may be kept.
 */
public final class ThingModelOnDemand {

    private final StoredThing stored;
    private volatile Thing model;

    private ThingModelOnDemand(StoredThing stored, Thing model) {
        this.stored = stored;
        this.model = model;
    }

    /**
     * The model of a thing that has passed Ditto's model check (its changed part was checked, the rest when
     * it was stored), built when first asked for.
     */
    public static ThingModelOnDemand of(StoredThing stored) {
        return new ThingModelOnDemand(Objects.requireNonNull(stored, "stored"), null);
    }

    /** A model already built (by the check itself). */
    public static ThingModelOnDemand built(StoredThing stored, Thing model) {
        return new ThingModelOnDemand(Objects.requireNonNull(stored, "stored"), Objects.requireNonNull(model, "model"));
    }

    /** The thing as Ditto's model, with revision and timestamps (see {@link StoredThing#toThing()}). */
    public Thing get() {
        Thing known = model;
        if (known == null) {
            known = stored.toThing();
            model = known;
        }
        return known;
    }
}
