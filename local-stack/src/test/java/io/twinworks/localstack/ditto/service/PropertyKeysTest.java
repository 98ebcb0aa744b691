package io.twinworks.localstack.ditto.service;

import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonKeyInvalidException;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The remembering check of (desired) properties keys gives Ditto's factory's verdict, refusals word for word. */
class PropertyKeysTest {

    /** Keys Ditto refuses (a slash, control characters) among ordinary ones. */
    private static final String[] KEYS = {"rms", "seq", "ts", "a", "b", "nested", "with/slash", "/", "tab\tkey",
            "x\u0000", "del\u007f", "ünï", "sp ace", "dot.ted", "~1", "\u0085next-line", "emoji\uD83D\uDE00"};

    /** "ok", or the refusal's class and message (and description). */
    private static String verdict(Runnable check) {
        try {
            check.run();
            return "ok";
        } catch (JsonKeyInvalidException refused) {
            return refused.getClass().getName() + ": " + refused.getMessage() + " / " + refused.getDescription();
        }
    }

    private static JsonObject object(JsonField... fields) {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        for (JsonField field : fields) {
            builder.set(field);
        }
        return builder.build();
    }

    private static JsonField field(String key, JsonValue value) {
        return JsonField.newInstance(JsonFactory.newKey(key), value);
    }

    @Test
    void aKeyWithASlashIsRefusedAsDittosFactoryRefusesIt() {
        JsonObject properties = object(field("ok", JsonValue.of(1)), field("bad/key", JsonValue.of(2)));

        assertThatThrownBy(() -> new PropertyKeys().check(properties)).isInstanceOf(JsonKeyInvalidException.class)
                .hasMessageContaining("bad/key");
        assertThat(verdict(() -> new PropertyKeys().check(properties)))
                .isEqualTo(verdict(() -> ThingsModelFactory.newFeatureProperties(properties)));
    }

    @Test
    void aControlCharacterInANestedKeyIsRefusedEvenAfterItsParentsNameWasAccepted() {
        PropertyKeys keys = new PropertyKeys();
        keys.check(object(field("nested", object(field("fine", JsonValue.of(1))))));
        JsonObject properties = object(field("nested", object(field("in\u0001side", JsonValue.of(1)))));

        assertThat(verdict(() -> keys.check(properties)))
                .isEqualTo(verdict(() -> ThingsModelFactory.newFeatureProperties(properties)))
                .isNotEqualTo("ok");
    }

    @Test
    void theFirstRefusedKeyInDocumentOrderIsTheOneNamed() {
        JsonObject properties = object(field("a", object(field("deep/er", JsonValue.of(1)))),
                field("late/r", JsonValue.of(2)));

        assertThat(verdict(() -> new PropertyKeys().check(properties)))
                .contains("deep/er")
                .isEqualTo(verdict(() -> ThingsModelFactory.newFeatureProperties(properties)));
    }

    @Test
    void keysInsideArraysAreNotCheckedAsDittosFactoryDoesNotCheckThem() {
        JsonObject properties = object(field("list", JsonFactory.newArrayBuilder()
                .add(object(field("in/array", JsonValue.of(1)))).build()));

        assertThatCode(() -> new PropertyKeys().check(properties)).doesNotThrowAnyException();
        assertThatCode(() -> ThingsModelFactory.newFeatureProperties(properties)).doesNotThrowAnyException();
    }

    @Test
    void seededRandomPropertiesGetDittosVerdictWithTheMemoryWarmAndCold() {
        Random random = new Random(16);
        PropertyKeys warm = new PropertyKeys();
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            JsonObject properties = randomObject(random, 3);

            String dittos = verdict(() -> ThingsModelFactory.newFeatureProperties(properties));

            assertThat(verdict(() -> warm.check(properties))).as("%s", properties).isEqualTo(dittos);
            assertThat(verdict(() -> new PropertyKeys().check(properties))).as("%s", properties).isEqualTo(dittos);
            refused += dittos.equals("ok") ? 0 : 1;
        }
        assertThat(refused).isBetween(2_000, 18_000);
    }

    private static JsonObject randomObject(Random random, int depth) {
        JsonObjectBuilder builder = JsonObject.newBuilder();
        int fields = random.nextInt(5);
        for (int f = 0; f < fields; f++) {
            // mostly names Ditto accepts, as devices send them
            String key = KEYS[random.nextInt(4) == 0 ? random.nextInt(KEYS.length) : random.nextInt(6)];
            JsonValue value = switch (random.nextInt(depth > 0 ? 6 : 4)) {
                case 0 -> JsonValue.nullLiteral();
                case 1 -> JsonValue.of("s" + f);
                case 2 -> JsonFactory.newArrayBuilder().add(1).add(randomObject(random, 0)).build();
                case 3 -> JsonValue.of(random.nextDouble());
                default -> randomObject(random, depth - 1);
            };
            builder.set(field(key, value));
        }
        return builder.build();
    }
}
