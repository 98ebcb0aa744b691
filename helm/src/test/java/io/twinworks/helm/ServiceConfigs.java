package io.twinworks.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables the services read, taken from the code itself: every main source file that
 * builds a configuration with {@code EnvConfig.of(...)} (the one config record per service, house rule 4)
 * and the {@code "TWINWORKS_..."} names it reads. Adding a variable to a config record, or a new config
 * record, changes what the chart tests demand without anyone touching the tests.
 */
final class ServiceConfigs {

    private static final Pattern ENV_NAME = Pattern.compile("\"(TWINWORKS_[A-Z0-9_]+)\"");

    private ServiceConfigs() {
    }

    /** Config record source (repository-relative path) → the variable names it reads. */
    static Map<String, Set<String>> scan(Path repoRoot) {
        Map<String, Set<String>> configs = new TreeMap<>();
        try (Stream<Path> files = Files.walk(repoRoot)) {
            for (Path file : files.filter(ServiceConfigs::isMainJavaSource).toList()) {
                String source = Files.readString(file);
                if (!source.contains("EnvConfig.of(") || file.getFileName().toString().equals("EnvConfig.java")) {
                    continue;
                }
                Set<String> names = new TreeSet<>();
                Matcher matcher = ENV_NAME.matcher(source);
                while (matcher.find()) {
                    names.add(matcher.group(1));
                }
                configs.put(repoRoot.relativize(file).toString().replace('\\', '/'), names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return configs;
    }

    private static boolean isMainJavaSource(Path file) {
        String path = file.toString().replace('\\', '/');
        return path.endsWith(".java") && path.contains("/src/main/java/")
                && !path.contains("/target/") && !path.contains("/.git/");
    }
}
