package io.twinworks.it;

import io.twinworks.cli.demo.DemoDevice;
import io.twinworks.cli.demo.DemoPlant;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/** The README's dashboard pictures in {@code docs/} and the manifest saying which demo they show. */
final class DocsScreenshots {

    /** The repository's docs directory (tests run in the integration-tests module directory). */
    static final Path DOCS = Path.of("..", "docs");
    static final String FLEET = "dashboard-fleet.png";
    static final String ASSET = "dashboard-asset.png";
    static final String MANIFEST = "dashboard-screenshots.properties";

    private DocsScreenshots() {
    }

    /** The twins of {@code ./twinworks up --demo} with its defaults (3 pumps, the engine, the line), sorted. */
    static List<String> demoTwins() {
        List<String> twins = new ArrayList<>();
        DemoPlant.pumps(3).stream().map(DemoDevice::deviceId).forEach(twins::add);
        twins.add(DemoPlant.engine().deviceId());
        twins.add(DemoPlant.TENANT + ":" + DemoPlant.LINE_NAME);
        return twins.stream().sorted().toList();
    }

    static void writeManifest(List<String> twinsShown, String assetPageTwin) throws IOException {
        Properties manifest = new Properties();
        manifest.setProperty("fleetPageTwins", String.join(",", twinsShown));
        manifest.setProperty("assetPageTwin", assetPageTwin);
        try (Writer out = Files.newBufferedWriter(DOCS.resolve(MANIFEST))) {
            manifest.store(out, "written by DemoScreenshotsIT -Dtwinworks.docs.write=true from a real up --demo session");
        }
    }

    static Properties readManifest() throws IOException {
        Properties manifest = new Properties();
        try (Reader in = Files.newBufferedReader(DOCS.resolve(MANIFEST))) {
            manifest.load(in);
        }
        return manifest;
    }

    static List<String> fleetPageTwins(Properties manifest) {
        return Stream.of(manifest.getProperty("fleetPageTwins", "").split(",")).filter(s -> !s.isBlank()).toList();
    }
}
