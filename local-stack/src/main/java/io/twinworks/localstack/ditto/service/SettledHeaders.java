package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.DittoHeadersBuilder;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;

import java.util.Optional;

/**
 * The headers of an accepted thing change.
 *
 * @param event    the command's headers with {@code response-required: false}, as Ditto's event and response
 *                 constructors set it (each of them copies headers that require a response)
 * @param response those plus the changed resource's entity tag, when it has one
 */
record SettledHeaders(DittoHeaders event, DittoHeaders response) {

    /**
     * Both from at most one copy of the command's headers: every Ditto header builder first builds a map of all
     * header definitions, which costs more than the rest of the copy.
     */
    static SettledHeaders of(DittoHeaders headers, Optional<EntityTag> tag) {
        if (!headers.isResponseRequired()) {
            return new SettledHeaders(headers, ThingResources.withEntityTag(headers, tag));
        }
        DittoHeadersBuilder<?, ?> builder = headers.toBuilder().responseRequired(false);
        // build() copies the builder's headers, so the same builder goes on to the response's headers
        DittoHeaders event = builder.build();
        return new SettledHeaders(event, tag.isPresent() ? builder.eTag(tag.get()).build() : event);
    }
}
