package io.twinworks.definitions;

import io.twinworks.core.config.EnvConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * Where the Thing Models are served: {@code <base>/models/<name>-<version>.tm.jsonld} is the URL of a model,
 * its {@code id}, the {@code definition} of the things that follow it, and the target of the {@code tm:submodel}
 * links of the models that embed it. Real Ditto downloads a thing's model from that URL, so it must be an
 * address Ditto can reach (the one setting {@code TWINWORKS_MODELS_BASE_URL}).
 *
 * @param value an absolute {@code http}/{@code https} URL without query or fragment, no trailing slash
 */
public record ModelsBaseUrl(String value) {

    /** The path segment under the base at which the models lie. */
    public static final String MODELS_PATH = "/models/";

    public ModelsBaseUrl {
        Objects.requireNonNull(value, "value");
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("models base URL '" + value + "' is not a URL: " + e.getMessage());
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("models base URL '" + value + "' must be an absolute http:// or https:// URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("models base URL '" + value + "' must have no query and no fragment");
        }
        if (value.endsWith("/")) {
            throw new IllegalArgumentException("models base URL '" + value + "' must not end with '/'");
        }
    }

    /** Parses a setting, dropping trailing slashes ({@code http://host:8080/} is {@code http://host:8080}). */
    public static ModelsBaseUrl parse(String setting) {
        String trimmed = Objects.requireNonNull(setting, "setting").trim();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return new ModelsBaseUrl(trimmed);
    }

    /**
     * The optional setting {@code variable} of a service's config: empty or unset gives {@code null} (the service
     * picks its own address); a malformed value is recorded as a problem of {@code env}.
     */
    public static ModelsBaseUrl fromEnv(EnvConfig env, String variable) {
        String setting = env.string(variable, null);
        if (setting == null || setting.isBlank()) {
            return null;
        }
        try {
            return parse(setting);
        } catch (IllegalArgumentException e) {
            env.problem(variable + ": " + e.getMessage());
            return null;
        }
    }

    /** The prefix of every model URL: {@code <base>/models/}. */
    public String modelsPrefix() {
        return value + MODELS_PATH;
    }

    /** The URL of the model file {@code <name>-<version>.tm.jsonld}. */
    public String modelUrl(String fileName) {
        return modelsPrefix() + fileName;
    }

    @Override
    public String toString() {
        return value;
    }
}
