package io.twinworks.core.config;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecordCopyTest {

    record Sample(String host, int port, Long timeout) {
        Sample {
            if (port < 0) {
                throw new IllegalArgumentException("port must not be negative");
            }
        }
    }

    private final Sample sample = new Sample("h", 80, 5L);

    @Test
    void oneComponentIsReplacedAndTheOthersKept() {
        assertThat(RecordCopy.with(sample, "port", 8080)).isEqualTo(new Sample("h", 8080, 5L));
    }

    @Test
    void severalComponentsAreReplacedAtOnce() {
        assertThat(RecordCopy.with(sample, Map.of("host", "x", "timeout", 7L))).isEqualTo(new Sample("x", 80, 7L));
    }

    @Test
    void aNullableComponentMayBeSetToNull() {
        assertThat(RecordCopy.with(sample, "timeout", null).timeout()).isNull();
    }

    @Test
    void theRecordsOwnChecksRunOnTheCopy() {
        assertThatThrownBy(() -> RecordCopy.with(sample, "port", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("port must not be negative");
    }

    @Test
    void anUnknownComponentIsRefusedNamingIt() {
        assertThatThrownBy(() -> RecordCopy.with(sample, "prot", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[prot]")
                .hasMessageContaining("[host, port, timeout]");
    }

    @Test
    void aValueOfTheWrongTypeIsRefused() {
        assertThatThrownBy(() -> RecordCopy.with(sample, "port", "8080"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Sample.port is a int, not a String");
        assertThatThrownBy(() -> RecordCopy.with(sample, "timeout", 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
    }

    @Test
    void nullForAPrimitiveComponentIsRefused() {
        Map<String, Object> changes = new HashMap<>();
        changes.put("port", null);
        assertThatThrownBy(() -> RecordCopy.with(sample, changes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not null");
    }

    @Test
    void theOriginalIsUnchanged() {
        RecordCopy.with(sample, "host", "other");
        assertThat(sample.host()).isEqualTo("h");
    }
}
