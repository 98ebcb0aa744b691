package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.headers.entitytag.EntityTag;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The settled headers, made without Ditto's builder, equal the two copies Ditto's builder makes (header order and key
 * case included).
 */
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

    @Test
    void headersCarryingPutMetadataGoThroughTheBuilderWhichRewritesIt() {
        DittoHeaders headers = DittoHeaders.newBuilder().correlationId("c-5")
                .putHeader("put-metadata", "[{\"key\":\"/features/f/properties/x/unit\",\"value\":\"mm\"}]")
                .putHeader("x-after", "1").build();

        assertSameAsTwoCopies(headers, TAG);
        assertSameAsTwoCopies(headers, Optional.empty());
    }

    @Test
    void headerKeysInAnyCaseAreReplacedAsTheBuilderReplacesThem() {
        DittoHeaders headers = DittoHeaders.of(Map.of("Response-Required", "true", "ETag", "\"rev:7\"",
                "X-Mixed-Case", "v"));

        assertSameAsTwoCopies(headers, TAG);
        assertSameAsTwoCopies(headers, Optional.empty());
    }

    @Test
    void seededRandomHeadersGiveTheTwoCopiesResult() {
        Random random = new Random(16);
        String[] keys = {"correlation-id", "Correlation-Id", "response-required", "RESPONSE-REQUIRED", "etag", "ETag",
                "if-match", "content-type", "ditto-auth-context", "x-custom", "X-Custom-Upper", "requested-acks",
                "timeout", "channel", "ditto-originator", "z", "a"};
        for (int i = 0; i < 5_000; i++) {
            Map<String, String> entries = new java.util.LinkedHashMap<>();
            int count = random.nextInt(8);
            for (int k = 0; k < count; k++) {
                String key = keys[random.nextInt(keys.length)];
                entries.put(key, valueFor(key.toLowerCase(), random));
            }
            DittoHeaders headers;
            try {
                headers = DittoHeaders.of(entries);
            } catch (RuntimeException invalid) {
                continue;   // two spellings of one key: Ditto refuses them, nothing to settle
            }
            Optional<EntityTag> tag = random.nextBoolean() ? Optional.empty()
                    : Optional.of(EntityTag.fromString("\"hash:" + random.nextInt() + "\""));
            assertSameAsTwoCopies(headers, tag);
        }
    }

    private static String valueFor(String key, Random random) {
        return switch (key) {
            case "response-required" -> Boolean.toString(random.nextBoolean());
            case "etag" -> "\"rev:" + random.nextInt(100) + "\"";
            case "if-match" -> "\"rev:" + random.nextInt(100) + "\"";
            case "content-type" -> "application/merge-patch+json";
            case "ditto-auth-context" ->
                    "{\"type\":\"pre-authenticated-connection\",\"subjects\":[\"integration:hono\"]}";
            case "requested-acks" -> "[\"twin-persisted\"]";
            case "timeout" -> random.nextInt(60) + "s";
            case "channel" -> random.nextBoolean() ? "twin" : "live";
            default -> "v" + random.nextInt(1000);
        };
    }
}
