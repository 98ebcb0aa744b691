package io.twinworks.localstack.ditto.service;

import io.twinworks.definitions.ThingPayloadValidator;
import io.twinworks.definitions.Violation;
import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.json.JsonArray;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A thing that breaks the Thing Model its {@code definition} names: 400 with Ditto 3.6+'s error code
 * {@value #ERROR_CODE} and message, the first violation (path and rule) as description, and every
 * violation in {@code validationDetails} (JSON pointer to messages), as Ditto's
 * {@code WotThingModelPayloadValidationException} answers. Ditto 2.4 has no WoT model, hence this class.
 */
public final class WotPayloadValidationException extends DittoRuntimeException {

    /** Ditto's error code of a WoT payload validation failure. */
    public static final String ERROR_CODE = "wot:payload.validation.error";
    /** Ditto's message of it. */
    public static final String MESSAGE = "The provided payload did not conform to the specified WoT (Web of Things) model.";

    private static final long serialVersionUID = 1L;

    private final Map<String, List<String>> validationDetails;

    private WotPayloadValidationException(DittoHeaders headers, String description, Map<String, List<String>> details) {
        super(ERROR_CODE, HttpStatus.BAD_REQUEST, headers, MESSAGE, description, null, null);
        this.validationDetails = details;
    }

    /** The exception for the given (non-empty) violations. */
    public static WotPayloadValidationException of(List<Violation> violations, DittoHeaders headers) {
        if (violations.isEmpty()) {
            throw new IllegalArgumentException("no violations");
        }
        Map<String, List<String>> details = new LinkedHashMap<>();
        for (Violation violation : violations) {
            details.computeIfAbsent(violation.path(), path -> new java.util.ArrayList<>()).add(violation.message());
        }
        details.replaceAll((path, messages) -> List.copyOf(messages));
        return new WotPayloadValidationException(headers, ThingPayloadValidator.describe(violations), Map.copyOf(details));
    }

    /** Violation messages by JSON pointer into the thing. */
    public Map<String, List<String>> validationDetails() {
        return validationDetails;
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new WotPayloadValidationException(headers, getDescription().orElse(null), validationDetails);
    }

    @Override
    protected void appendToJson(JsonObjectBuilder builder, Predicate<JsonField> predicate) {
        var details = JsonFactory.newObjectBuilder();
        validationDetails.forEach((path, messages) -> {
            JsonArray array = messages.stream().map(JsonValue::of).collect(JsonFactory::newArrayBuilder,
                    (b, v) -> b.add(v), (a, b) -> a.addAll(b.build())).build();
            details.set(JsonFactory.newKey(path), array);
        });
        JsonObject detailsObject = details.build();
        builder.set("validationDetails", detailsObject);
    }
}
