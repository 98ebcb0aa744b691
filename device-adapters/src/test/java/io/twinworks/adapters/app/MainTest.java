package io.twinworks.adapters.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTest {

    @Test
    void theConfigFileIsTakenPlainOrAfterConfigLikeTheTwinworksAdapterCommand() {
        assertThat(Main.configFile(new String[] {"mqtt", "/etc/adapter.yaml"})).contains(Path.of("/etc/adapter.yaml"));
        assertThat(Main.configFile(new String[] {"serial", "--config", "/etc/adapter.yaml"})).contains(Path.of("/etc/adapter.yaml"));
    }

    @Test
    void anythingElseIsAUsageError() {
        assertThat(Main.configFile(new String[] {"mqtt"})).isEmpty();
        assertThat(Main.configFile(new String[] {"mqtt", "--config"})).isEmpty();
        assertThat(Main.configFile(new String[] {"mqtt", "--conf", "/etc/adapter.yaml"})).isEmpty();
        assertThat(Main.configFile(new String[] {"mqtt", "a.yaml", "b.yaml"})).isEmpty();
        assertThat(Main.configFile(new String[] {})).isEmpty();
    }
}
