package io.twinworks.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code helm lint --strict} (Helm's own linter through helm-java) for the chart and every CI profile. */
class ChartLintTest {

    static List<Path> profiles() {
        return Chart.ciProfiles();
    }

    @Test
    void theChartAsShippedLintsWithTheMissingHonoAndDittoChartsAsItsOnlyFinding() {
        LintResult lint = new Helm(Chart.sourceDir()).lint().strict().call();

        assertThat(problems(lint)).singleElement().asString()
                .endsWith("chart directory is missing these dependencies: hono,ditto");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void theTwinworksPartLintsCleanWithEveryProfile(Path profile, @TempDir Path work) {
        LintResult lint = Chart.lint(Chart.twinworksPartOnly(work), profile, work);

        assertThat(problems(lint)).as(lint.getMessages().toString()).isEmpty();
        assertThat(lint.isFailed()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("profiles")
    void lintSeesExactlyWhatHelmRendersForTheProfile(Path profile, @TempDir Path work) {
        // helm-java lints a directory without a values flag: Chart.lint layers the profile over values.yaml.
        // The layered copy must render byte for byte what Helm renders with `-f profile`.
        Path chart = Chart.twinworksPartOnly(work);
        String withValuesFlag = Chart.template(chart, profile);
        String layered = Chart.template(Chart.withValuesMerged(chart, profile, work), List.of(), java.util.Map.of());

        assertThat(layered).isEqualTo(withValuesFlag);
    }

    /** Lint findings above INFO (strict lint fails on warnings). */
    private static List<String> problems(LintResult lint) {
        return lint.getMessages().stream().filter(m -> !m.startsWith("[INFO]")).toList();
    }
}
