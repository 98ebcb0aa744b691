package io.twinworks.adapters.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void theConfigFileIsTakenPlainOrAfterConfigLikeTheTwinworksAdapterCommand() {
        assertThat(Main.configFile(new String[] {"mqtt", "/etc/adapter.yaml"})).isEqualTo(Path.of("/etc/adapter.yaml"));
        assertThat(Main.configFile(new String[] {"serial", "--config", "/etc/adapter.yaml"})).isEqualTo(Path.of("/etc/adapter.yaml"));
    }

    @Test
    void anythingElseIsAUsageError() {
        assertThat(Main.configFile(new String[] {"mqtt"})).isNull();
        assertThat(Main.configFile(new String[] {"mqtt", "--config"})).isNull();
        assertThat(Main.configFile(new String[] {"mqtt", "--conf", "/etc/adapter.yaml"})).isNull();
        assertThat(Main.configFile(new String[] {"mqtt", "a.yaml", "b.yaml"})).isNull();
        assertThat(Main.configFile(new String[] {})).isNull();
    }
}
