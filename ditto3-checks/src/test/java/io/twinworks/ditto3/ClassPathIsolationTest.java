package io.twinworks.ditto3;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ditto 3.8 and Ditto 2.4 share packages, so this module must stay apart: only Ditto 3.8.0 on its class path, no
 * Twinworks module (they carry Ditto 2.4), and no module depending on it (nothing of 3.8 reaches a runtime).
 */
class ClassPathIsolationTest {

    private static List<String> classPath() {
        return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
    }

    @Test
    void everyDittoJarOnTheClassPathIsVersion380() {
        List<String> dittoJars = classPath().stream().filter(entry -> entry.contains("org/eclipse/ditto/")).toList();

        assertThat(dittoJars).extracting(entry -> Path.of(entry).getFileName().toString())
                .contains("ditto-connectivity-model-3.8.0.jar", "ditto-policies-model-3.8.0.jar",
                        "ditto-things-model-3.8.0.jar", "ditto-wot-model-3.8.0.jar")
                .allSatisfy(jar -> assertThat(jar).endsWith("-3.8.0.jar"));
        assertThat(org.eclipse.ditto.json.JsonObject.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .endsWith("ditto-json-3.8.0.jar");
    }

    @Test
    void noTwinworksModuleIsOnTheClassPath() {
        String ownModule = Path.of("").toAbsolutePath().toString();
        assertThat(classPath()).noneMatch(entry -> entry.contains("/io/twinworks/"))
                .filteredOn(entry -> entry.contains("/target/") && !entry.startsWith(ownModule)).isEmpty();
        assertThatThrownBy(() -> Class.forName("io.twinworks.definitions.ThingModel")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("io.twinworks.connections.HonoConnectionTemplate")).isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void noOtherModuleDependsOnThisOne() throws IOException {
        try (Stream<Path> poms = Files.walk(Path.of(".."), 2)) {
            List<Path> dependents = poms.filter(pom -> pom.getFileName().toString().equals("pom.xml"))
                    .filter(pom -> !pom.normalize().toAbsolutePath().startsWith(Path.of("").toAbsolutePath()))
                    .filter(pom -> {
                        try {
                            return Files.readString(pom).contains("<artifactId>ditto3-checks</artifactId>");
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }).toList();
            assertThat(dependents).as("poms naming ditto3-checks").isEmpty();
        }
    }
}
