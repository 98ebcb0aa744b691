package io.twinworks.it;

import io.twinworks.cli.demo.DemoPlant;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's dashboard pictures show today's demo: the manifest written with them by
 * {@link DemoScreenshotsIT} names the twins a fresh {@code up --demo} creates. When the demo changes,
 * regenerate them: {@code mvn -B verify -pl integration-tests -am -Dit.test=DemoScreenshotsIT
 * -Dtwinworks.docs.write=true -Dsurefire.failIfNoSpecifiedTests=false -Dtest=none}.
 */
class DocsScreenshotsCurrentTest {

    private static final String REGENERATE = "regenerate the docs screenshots with DemoScreenshotsIT -Dtwinworks.docs.write=true";

    @Test
    void theScreenshotsAndTheirManifestAreInDocs() {
        assertThat(DocsScreenshots.DOCS.resolve(DocsScreenshots.FLEET)).as(REGENERATE).isRegularFile();
        assertThat(DocsScreenshots.DOCS.resolve(DocsScreenshots.ASSET)).as(REGENERATE).isRegularFile();
        assertThat(DocsScreenshots.DOCS.resolve(DocsScreenshots.MANIFEST)).as(REGENERATE).isRegularFile();
    }

    @Test
    void theFleetScreenshotShowsTheTwinsOfTodaysDemo() throws Exception {
        Properties manifest = DocsScreenshots.readManifest();

        assertThat(DocsScreenshots.fleetPageTwins(manifest)).as(REGENERATE).containsExactlyElementsOf(DocsScreenshots.demoTwins());
    }

    @Test
    void theAssetScreenshotShowsTheDegradingPumpOfTodaysDemo() throws Exception {
        Properties manifest = DocsScreenshots.readManifest();
        String degrading = DemoPlant.pumps(3).stream().filter(DemoPlant::degrading).findFirst().orElseThrow().deviceId();

        assertThat(manifest.getProperty("assetPageTwin")).as(REGENERATE).isEqualTo(degrading);
        assertThat(Files.exists(DocsScreenshots.DOCS.resolve(DocsScreenshots.ASSET))).isTrue();
    }
}
