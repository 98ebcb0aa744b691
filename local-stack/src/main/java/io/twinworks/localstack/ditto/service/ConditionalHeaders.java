package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatcher;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTagMatchers;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * RFC 7232 {@code If-Match} / {@code If-None-Match} checks as Ditto applies them: the entity tag of
 * a thing or policy is {@code "rev:<revision>"}, of a sub-resource {@code "hash:<hash>"}; a failed
 * {@code If-Match} (or a matching {@code If-None-Match} on a change) is 412, a matching
 * {@code If-None-Match} on a retrieve is 304.
 */
final class ConditionalHeaders {

    /** Creates the entity-specific exception for a failed precondition. */
    interface Failures {
        DittoRuntimeException preconditionFailed(String header, String expected, String actual, DittoHeaders headers);

        DittoRuntimeException notModified(String expectedNotToMatch, String matched, DittoHeaders headers);
    }

    private ConditionalHeaders() {
    }

    /**
     * @param currentTag the entity tag of the addressed resource now, empty if it does not exist; asked for only
     *                   when the headers carry a condition (computing it hashes the resource, or parses the whole
     *                   thing for the thing's own tag, which most commands do not need)
     * @param isQuery    whether the command only reads (If-None-Match then yields 304 instead of 412)
     */
    static void check(DittoHeaders headers, Supplier<Optional<EntityTag>> currentTag, boolean isQuery,
                      Failures failures) {
        Optional<EntityTagMatchers> ifMatch = headers.getIfMatch();
        Optional<EntityTagMatchers> ifNoneMatch = headers.getIfNoneMatch();
        if (ifMatch.isEmpty() && ifNoneMatch.isEmpty()) {
            return;
        }
        Optional<EntityTag> current = currentTag.get();
        if (ifMatch.isPresent()) {
            boolean matched = current.isPresent() && ifMatch.get().stream()
                    .anyMatch(matcher -> matcher.isAsterisk() || matcher.strongMatch(current.get()));
            if (!matched) {
                throw failures.preconditionFailed("if-match", ifMatch.get().toString(),
                        current.map(EntityTag::toString).orElse(""), headers);
            }
        }
        if (ifNoneMatch.isPresent() && current.isPresent()) {
            Optional<EntityTagMatcher> matching = ifNoneMatch.get().stream()
                    .filter(matcher -> matcher.isAsterisk() || matcher.weakMatch(current.get()))
                    .findFirst();
            if (matching.isPresent()) {
                throw isQuery
                        ? failures.notModified(ifNoneMatch.get().toString(), current.get().toString(), headers)
                        : failures.preconditionFailed("if-none-match", ifNoneMatch.get().toString(),
                        current.get().toString(), headers);
            }
        }
    }
}
