package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The settled headers from one copy equal the two copies Ditto's way makes them (header order included). */
class SettledHeadersTest {

    private static final Optional<EntityTag> TAG = Optional.of(EntityTag.fromString("\"hash:1234\""));

    /** The general path: one copy without response-required, then one more with the entity tag. */
    private static SettledHeaders twoCopies(DittoHeaders headers, Optional<EntityTag> tag) {
        DittoHeaders event = headers.isResponseRequired()
                ? headers.toBuilder().responseRequired(false).build() : headers;
        return new SettledHeaders(event, ThingResources.withEntityTag(event, tag));
    }

    private static List<Map.Entry<String, String>> entries(DittoHeaders headers) {
        return new ArrayList<>(headers.asCaseSensitiveMap().entrySet());
    }

    private static void assertSameAsTwoCopies(DittoHeaders headers, Optional<EntityTag> tag) {
        SettledHeaders expected = twoCopies(headers, tag);

        SettledHeaders settled = SettledHeaders.of(headers, tag);

        assertThat(settled).isEqualTo(expected);
        assertThat(entries(settled.event())).containsExactlyElementsOf(entries(expected.event()));
        assertThat(entries(settled.response())).containsExactlyElementsOf(entries(expected.response()));
    }

    @Test
    void headersWithoutResponseRequiredAreKeptForTheEventAndCopiedOnceForATag() {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId("c-1").responseRequired(false).build();

        assertSameAsTwoCopies(headers, TAG);
        assertSameAsTwoCopies(headers, Optional.empty());
        assertThat(SettledHeaders.of(headers, Optional.empty()).event()).isSameAs(headers);
        assertThat(SettledHeaders.of(headers, Optional.empty()).response()).isSameAs(headers);
    }

    @Test
    void withoutATagTheResponseHasTheEventsHeaders() {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId("c-2").responseRequired(true).build();

        SettledHeaders settled = SettledHeaders.of(headers, Optional.empty());

        assertSameAsTwoCopies(headers, Optional.empty());
        assertThat(settled.event().isResponseRequired()).isFalse();
        assertThat(settled.response()).isSameAs(settled.event());
    }

    @Test
    void theEventNeverCarriesTheResponsesEntityTag() {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId("c-3").responseRequired(true).build();

        SettledHeaders settled = SettledHeaders.of(headers, TAG);

        assertThat(settled.event().getETag()).isEmpty();
        assertThat(settled.response().getETag()).isEqualTo(TAG);
        assertThat(settled.response().isResponseRequired()).isFalse();
    }

    @Test
    void anEntityTagTheCommandAlreadyCarriedIsReplacedInPlace() {
        DittoHeaders headers = DittoHeaders.newBuilder().eTag(EntityTag.fromString("\"rev:1\""))
                .correlationId("c-4").responseRequired(true).putHeader("x-custom", "v").build();

        assertSameAsTwoCopies(headers, TAG);
        assertSameAsTwoCopies(headers, Optional.empty());
    }

    @Test
    void manyHeaderCombinationsGiveTheTwoCopiesResult() {
        for (Boolean responseRequired : new Boolean[]{null, true, false}) {
            for (boolean withTag : new boolean[]{true, false}) {
                for (boolean withAuthContext : new boolean[]{true, false}) {
                    var builder = DittoHeaders.newBuilder().correlationId("c").putHeader("z-last", "1");
                    if (responseRequired != null) {
                        builder.responseRequired(responseRequired);
                    }
                    if (withAuthContext) {
                        builder.putHeader("ditto-auth-context",
                                "{\"type\":\"pre-authenticated-connection\",\"subjects\":[\"integration:hono\"]}");
                    }
                    builder.putHeader("a-first", "2");
                    assertSameAsTwoCopies(builder.build(), withTag ? TAG : Optional.empty());
                }
            }
        }
    }
}
