package io.twinworks.core.config;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvConfigTest {

    @Test
    void unsetAndBlankVariablesFallBackToTheDefaults() {
        EnvConfig env = EnvConfig.of(Map.of("A_PORT", "  "));
        assertThat(env.port("A_PORT", 1883)).isEqualTo(1883);
        assertThat(env.string("MISSING", "x")).isEqualTo("x");
        assertThat(env.bool("FLAG", true)).isTrue();
        env.validate();
    }

    @Test
    void setVariablesOverrideTheDefaults() {
        EnvConfig env = EnvConfig.of(Map.of("A_PORT", "18830", "FLAG", "FALSE", "NAME", " pump "));
        assertThat(env.port("A_PORT", 1883)).isEqualTo(18830);
        assertThat(env.bool("FLAG", true)).isFalse();
        assertThat(env.string("NAME", "x")).isEqualTo("pump");
    }

    @Test
    void everyInvalidVariableIsListedInOneFailure() {
        EnvConfig env = EnvConfig.of(Map.of("A_PORT", "70000", "B_PORT", "abc", "FLAG", "yes", "COUNT", "-1"));
        env.port("A_PORT", 1);
        env.port("B_PORT", 1);
        env.bool("FLAG", false);
        env.longInRange("COUNT", 5, 0, 10);
        assertThatThrownBy(env::validate)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(4))
                .hasMessageContaining("A_PORT=70000 is outside [0, 65535]")
                .hasMessageContaining("B_PORT=abc is not a whole number")
                .hasMessageContaining("FLAG=yes is neither true nor false")
                .hasMessageContaining("COUNT=-1 is outside [0, 10]");
    }

    @Test
    void stringOrDefaultTakesATrimmedValueAndTheDefaultForAnUnsetOrBlankVariable() {
        EnvConfig env = EnvConfig.of(Map.of("USER", "  ditto ", "BLANK", "   "));
        assertThat(env.stringOrDefault("USER", "analytics")).isEqualTo("ditto");
        assertThat(env.stringOrDefault("BLANK", "analytics")).isEqualTo("analytics");
        assertThat(env.stringOrDefault("UNSET", "analytics")).isEqualTo("analytics");
        env.validate();
    }

    @Test
    void requiredStringWithoutValueOrDefaultIsAProblem() {
        EnvConfig env = EnvConfig.of(Map.of());
        env.requiredString("TOKEN", null);
        assertThatThrownBy(env::validate).hasMessageContaining("TOKEN must be set");
    }

    @Test
    void aUrlOfAnAllowedSchemeWithAHostIsTaken() {
        EnvConfig env = EnvConfig.of(Map.of("DITTO", "wss://ditto.example:443"));
        assertThat(env.url("DITTO", "ws://127.0.0.1:8080", "ws", "wss")).hasToString("wss://ditto.example:443");
        assertThat(env.url("UNSET", "ws://127.0.0.1:8080", "ws", "wss")).hasToString("ws://127.0.0.1:8080");
        env.validate();
    }

    @Test
    void aUrlOfAnotherSchemeIsAProblemNamingTheAllowedOnes() {
        EnvConfig env = EnvConfig.of(Map.of("DITTO", "http://127.0.0.1:8080"));
        assertThat(env.url("DITTO", "ws://127.0.0.1:8080", "ws", "wss")).hasToString("ws://127.0.0.1:8080");
        assertThatThrownBy(env::validate)
                .hasMessageContaining("DITTO=http://127.0.0.1:8080 must be a ws:// or wss:// URL with a host");
    }

    @Test
    void aUrlWithoutHostOrWithBadSyntaxIsAProblem() {
        EnvConfig env = EnvConfig.of(Map.of("A", "ws:relative", "B", "ws://bad host"));
        env.url("A", "ws://127.0.0.1:8080", "ws");
        env.url("B", "ws://127.0.0.1:8080", "ws");
        assertThatThrownBy(env::validate)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(2))
                .hasMessageContaining("A=ws:relative must be a ws:// URL with a host")
                .hasMessageContaining("B=ws://bad host is not a URL");
    }
}
