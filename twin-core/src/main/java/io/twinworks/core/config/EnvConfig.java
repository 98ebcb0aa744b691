package io.twinworks.core.config;

import org.jspecify.annotations.Nullable;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Reads configuration values from environment variables, with defaults in code, and collects every
 * invalid value so that start-up fails once with all problems listed rather than one at a time.
 *
 * <p>Each service builds its own immutable config record from one of these:
 * <pre>{@code
 * EnvConfig env = EnvConfig.of(System.getenv());
 * var config = new MyConfig(env.port("MY_PORT", 8080), env.string("MY_HOST", "0.0.0.0"));
 * env.validate();   // throws ConfigException naming every bad variable
 * }</pre>
 */
public final class EnvConfig {

    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private EnvConfig(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    /** Creates a reader over the given variables (usually {@code System.getenv()}). */
    public static EnvConfig of(Map<String, String> env) {
        return new EnvConfig(Objects.requireNonNull(env, "env"));
    }

    /** The raw value, or the default when the variable is unset or blank. */
    public @Nullable String string(String name, @Nullable String defaultValue) {
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /**
     * The value, or {@code defaultValue} when the variable is unset or blank: never {@code null}, so a
     * {@code @NullMarked} config record takes it as it is ({@link #string} may return {@code null}).
     */
    public String stringOrDefault(String name, String defaultValue) {
        Objects.requireNonNull(defaultValue, "defaultValue");
        String value = env.get(name);
        return value == null || value.isBlank() ? defaultValue : value.trim();
    }

    /** A string that must not be empty once defaults are applied. */
    public @Nullable String requiredString(String name, @Nullable String defaultValue) {
        String value = string(name, defaultValue);
        if (value == null || value.isEmpty()) {
            problems.add(name + " must be set");
        }
        return value;
    }

    /** An integer within {@code [min, max]}; an unparsable or out-of-range value is recorded as a problem. */
    public int intInRange(String name, int defaultValue, int min, int max) {
        return (int) longInRange(name, defaultValue, min, max);
    }

    /** A long within {@code [min, max]}; an unparsable or out-of-range value is recorded as a problem. */
    public long longInRange(String name, long defaultValue, long min, long max) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.trim());
            if (value < min || value > max) {
                problems.add(name + "=" + raw + " is outside [" + min + ", " + max + "]");
                return defaultValue;
            }
            return value;
        } catch (NumberFormatException e) {
            problems.add(name + "=" + raw + " is not a whole number");
            return defaultValue;
        }
    }

    /** A TCP port, 0 meaning "any free port" (used by tests). */
    public int port(String name, int defaultValue) {
        return intInRange(name, defaultValue, 0, 65535);
    }

    /** {@code true}/{@code false} (case-insensitive). */
    public boolean bool(String name, boolean defaultValue) {
        String raw = env.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        return switch (raw.trim().toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problems.add(name + "=" + raw + " is neither true nor false");
                yield defaultValue;
            }
        };
    }

    /** A file-system path; {@code null} default means optional. */
    public @Nullable Path path(String name, @Nullable String defaultValue) {
        String raw = string(name, defaultValue);
        if (raw == null) {
            return null;
        }
        try {
            return Path.of(raw);
        } catch (InvalidPathException e) {
            problems.add(name + "=" + raw + " is not a valid path: " + e.getReason());
            return defaultValue == null ? null : Path.of(defaultValue);
        }
    }

    /**
     * An absolute URL with a host and one of the given schemes (e.g. {@code "ws", "wss"} for a Ditto
     * WebSocket); anything else is recorded as a problem naming the variable, and the default is returned.
     *
     * @param defaultValue a valid URL of one of the schemes
     */
    public URI url(String name, String defaultValue, String... schemes) {
        URI fallback = URI.create(defaultValue);
        String raw = requiredString(name, defaultValue);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        List<String> allowed = List.of(schemes);
        try {
            URI uri = new URI(raw);
            if (uri.getScheme() != null && allowed.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                    && uri.getHost() != null) {
                return uri;
            }
            problems.add(name + "=" + raw + " must be a " + String.join(" or ", allowed.stream().map(s -> s + "://").toList())
                    + " URL with a host");
        } catch (URISyntaxException e) {
            problems.add(name + "=" + raw + " is not a URL: " + e.getMessage());
        }
        return fallback;
    }

    /** Records a cross-field problem found by the config record's own checks. */
    public void problem(String description) {
        problems.add(description);
    }

    /** Throws a {@link ConfigException} listing every problem seen so far; returns normally if none. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
