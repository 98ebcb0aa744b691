package io.twinworks.helm;

import com.marcnuri.helm.Helm;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The notes an operator reads after {@code helm install} ({@code install --dry-run}, client only: no cluster). */
class ChartNotesTest {

    static List<Path> profiles() {
        return Chart.ciProfiles();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void theNotesNameTheDittoAndHonoInUseAndHowToCheckTheServices(Path profile, @TempDir Path work) {
        String output = new Helm(Chart.twinworksPartOnly(work)).install().withName(Chart.RELEASE).withNamespace(Chart.NAMESPACE)
                .dryRun().clientOnly().withValuesFile(profile).call().getOutput();

        boolean attach = !Chart.values(profile).path("ditto").path("enabled").asBoolean();
        assertThat(output).contains(attach
                ? "Ditto:  http://c2e-ditto-nginx.iot:8080 (existing Ditto)"
                : "Ditto:  http://tw-ditto-nginx:8080 (Ditto chart of this release)");
        assertThat(output).contains(attach
                ? "Hono:   tcp://c2e-hono-adapter-mqtt.iot:1883 (existing Hono)"
                : "Hono:   tcp://tw-hono-adapter-mqtt:1883 (Hono chart of this release)");
        assertThat(output).contains("kubectl port-forward -n plant svc/tw-twinworks-analytics 8081",
                "curl http://localhost:8081/health");
    }
}
