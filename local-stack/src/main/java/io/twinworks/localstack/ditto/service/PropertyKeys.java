package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.entity.validation.NoControlCharactersNoSlashesValidator;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKeyInvalidException;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingsModelFactory;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ditto's model check of a feature's (desired) properties, {@link ThingsModelFactory#newFeatureProperties}: every
 * key at every depth must have neither a slash nor a control character (Ditto 2.4's {@code JsonKeyValidator}, keys
 * in document order, depth first, the first refused key named). The verdict depends on the key name alone, so
 * accepted names are remembered: a device sends the same few names with every reading, and matching each against
 * Ditto's regular expression again was a twentieth of the twin service's thread per merge.
 *
 * <p>Bounded: beyond {@value #MAX_REMEMBERED} names the memory starts over (a miss only costs the match).
 * Thread-safe.
 */
final class PropertyKeys {

    /** Distinct accepted key names remembered before starting over. */
    static final int MAX_REMEMBERED = 10_000;

    private final Set<String> accepted = ConcurrentHashMap.newKeySet();

    /**
     * Passes exactly when {@code ThingsModelFactory.newFeatureProperties(properties)} does.
     *
     * @throws JsonKeyInvalidException as Ditto's check throws it, for the first refused key
     */
    void check(JsonObject properties) {
        for (JsonField field : properties) {
            String name = field.getKeyName();
            if (!accepted.contains(name)) {
                NoControlCharactersNoSlashesValidator validator =
                        NoControlCharactersNoSlashesValidator.getInstance(field.getKey());
                if (!validator.isValid()) {
                    throw JsonKeyInvalidException.newBuilderWithDescription(field.getKey(),
                            validator.getReason().orElse(null)).build();
                }
                if (accepted.size() >= MAX_REMEMBERED) {
                    accepted.clear();
                }
                accepted.add(name);
            }
            JsonValue value = field.getValue();
            if (value.isObject()) {
                check(value.asObject());
            }
        }
    }
}
