package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.headers.AbstractDittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeaderDefinition;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.HeaderDefinition;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The headers of an accepted thing change.
 *
 * @param event    the command's headers with {@code response-required: false}, as Ditto's event and response
 *                 constructors set it (each of them copies headers that require a response)
 * @param response those plus the changed resource's entity tag, when it has one
 */
record SettledHeaders(DittoHeaders event, DittoHeaders response) {

    private static final String RESPONSE_REQUIRED = DittoHeaderDefinition.RESPONSE_REQUIRED.getKey();
    private static final String ETAG = DittoHeaderDefinition.ETAG.getKey();
    private static final String PUT_METADATA = DittoHeaderDefinition.PUT_METADATA.getKey();

    /**
     * Both without Ditto's header builder where it can be done: every builder first copies its table of all header
     * definitions, which cost more than the rest of a device's merge headers (one in ten of the twin service's
     * CPU per merge). The result equals what {@code headers.toBuilder().responseRequired(false).build()} and then
     * {@code toBuilder().eTag(tag).build()} of those make of them — entries, their order and key case — see
     * {@link #viaBuilder}.
     */
    static SettledHeaders of(DittoHeaders headers, Optional<EntityTag> tag) {
        DittoHeaders event = forEvent(headers);
        return new SettledHeaders(event, forResponse(event, tag));
    }

    /** The event's headers: the command's with {@code response-required: false} (see {@link #of}). */
    static DittoHeaders forEvent(DittoHeaders headers) {
        if (!headers.isResponseRequired()) {
            return headers;
        }
        if (headers.containsKey(PUT_METADATA)) {
            // the builder parses put-metadata and writes it back in its own form: leave that to the builder
            return headers.toBuilder().responseRequired(false).build();
        }
        return copyWith(headers, RESPONSE_REQUIRED, "false");
    }

    /** The response's headers: the event's with the entity tag, when there is one (see {@link #of}). */
    static DittoHeaders forResponse(DittoHeaders eventHeaders, Optional<EntityTag> tag) {
        if (tag.isEmpty()) {
            return eventHeaders;
        }
        if (eventHeaders.containsKey(PUT_METADATA)) {
            return ThingResources.withEntityTag(eventHeaders, tag);
        }
        return copyWith(eventHeaders, ETAG, tag.get().toString());
    }

    /**
     * The same with Ditto's builder: the command's headers without a response, then those with the entity tag (two
     * copies: one builder for both would write put-metadata back before the tag, not after it).
     */
    static SettledHeaders viaBuilder(DittoHeaders headers, Optional<EntityTag> tag) {
        DittoHeaders event = headers.isResponseRequired() ? headers.toBuilder().responseRequired(false).build() : headers;
        return new SettledHeaders(event, ThingResources.withEntityTag(event, tag));
    }

    /**
     * The headers with a defined header set as Ditto's builder sets it: the entry whose key is the definition's key in
     * any case is removed, and the definition's (lower case) key with the value goes to the end.
     */
    private static DittoHeaders copyWith(DittoHeaders headers, String definedKey, String value) {
        Map<String, String> entries = headers.asCaseSensitiveMap();
        for (Iterator<String> keys = entries.keySet().iterator(); keys.hasNext(); ) {
            if (keys.next().toLowerCase(Locale.ROOT).equals(definedKey)) {
                keys.remove();
                break;
            }
        }
        entries.put(definedKey, value);
        return new CopiedDittoHeaders(entries);
    }

    /**
     * Ditto headers made of given entries, built on Ditto's own {@link AbstractDittoHeaders} as Ditto's default
     * implementation is (which defines no headers of its own either): equal to the builder's result for the same
     * entries ({@code equals}, {@code toJson}, {@code asCaseSensitiveMap} in order); only {@code toString} names
     * this class.
     */
    private static final class CopiedDittoHeaders extends AbstractDittoHeaders {

        /** Indexes a copy of the entries by lower-case key, as Ditto's builder does. */
        CopiedDittoHeaders(Map<String, String> entries) {
            super(entries);
        }

        @Override
        protected Optional<HeaderDefinition> getSpecificDefinitionByKey(CharSequence key) {
            return Optional.empty();
        }
    }
}
