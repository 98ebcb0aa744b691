package io.twinworks.localstack.ditto.connectivity;

import org.eclipse.ditto.base.model.headers.AbstractDittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.HeaderDefinition;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ditto headers made of headers Ditto's builder has already validated plus a correlation ID, without a
 * second builder: Ditto's {@link DittoHeaders#newBuilder()} copies its table of all header definitions
 * for every instance, which cost the Hono connection more than the rest of a device's merge.
 *
 * <p>Built on Ditto's own {@link AbstractDittoHeaders}, as Ditto's default implementation is (which
 * adds no definitions of its own either), so the result equals — {@code equals}, {@code toJson},
 * {@code asCaseSensitiveMap} in order — what the builder makes of the same entries; only
 * {@link #toString()} names this class.
 */
final class ValidatedDittoHeaders extends AbstractDittoHeaders {

    private ValidatedDittoHeaders(Map<String, String> headers) {
        super(headers);
    }

    /**
     * {@code validated}'s entries (in their order) followed by {@code correlationId}, as
     * {@code validated.toBuilder().correlationId(correlationId).build()} makes them.
     *
     * @param validated     headers built by Ditto's builder, without a correlation ID
     * @param correlationId a correlation ID the builder accepts (not empty)
     */
    static DittoHeaders withCorrelationId(Map<String, String> validated, String correlationId) {
        if (correlationId.isEmpty()) {
            throw new IllegalArgumentException("the correlation ID must not be empty");
        }
        if (validated.containsKey(DittoHeaderDefinition.CORRELATION_ID.getKey())) {
            throw new IllegalArgumentException("the headers have a correlation ID already");
        }
        Map<String, String> headers = new LinkedHashMap<>(validated.size() * 2 + 2);
        headers.putAll(validated);
        headers.put(DittoHeaderDefinition.CORRELATION_ID.getKey(), correlationId);
        return new ValidatedDittoHeaders(headers);
    }

    @Override
    protected Optional<HeaderDefinition> getSpecificDefinitionByKey(CharSequence key) {
        return Optional.empty();
    }
}
