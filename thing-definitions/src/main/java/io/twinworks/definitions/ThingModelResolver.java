package io.twinworks.definitions;

import java.util.Optional;

/**
 * Finds the Thing Model a {@code definition} (or a {@code tm:submodel} link) names. The catalog of the shipped
 * models ({@link ThingModelCatalog}) answers from memory; {@link HttpThingModelResolver} downloads the model from
 * its URL, as real Ditto does.
 */
@FunctionalInterface
public interface ThingModelResolver {

    /** The model the definition names, or empty when there is none (unknown, or not reachable). */
    Optional<ThingModel> resolve(String definition);
}
