package io.twinworks.localstack.hono.registry.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One set of credentials of a device, unique within the tenant by ({@link #type()}, {@link #authId()}).
 *
 * @param type                  the credential type, e.g. {@code hashed-password}, {@code psk}
 * @param authId                the authentication identity the device claims
 * @param enabled               whether the credentials may be used (Hono default: {@code true})
 * @param comment               free text, or {@code null}
 * @param ext                   extension properties
 * @param secrets               at least one secret
 * @param additionalProperties  further members of credential types unknown to Hono's schema
 *                              (Hono keeps them for such "generic" types); empty for standard types
 */
public record Credential(
        String type,
        String authId,
        boolean enabled,
        String comment,
        Map<String, Object> ext,
        List<Secret> secrets,
        Map<String, Object> additionalProperties) {

    /** Type of username/password credentials, the one the MQTT adapter checks. */
    public static final String HASHED_PASSWORD = "hashed-password";
    /** Type of pre-shared key credentials. */
    public static final String PSK = "psk";
    /** Type of X.509 client certificate credentials. */
    public static final String X509_CERT = "x509-cert";
    /** Type of raw public key credentials. */
    public static final String RPK = "rpk";

    /** Hono's pattern for type names. */
    public static final Pattern TYPE_PATTERN = Pattern.compile("^[a-z0-9-]+$");
    /** Hono's default pattern for {@code hashed-password} auth-ids (user names). */
    public static final Pattern PASSWORD_AUTH_ID_PATTERN = Pattern.compile("^[a-zA-Z0-9-_=\\.]+$");

    public Credential {
        if (type == null || !TYPE_PATTERN.matcher(type).matches()) {
            throw new IllegalArgumentException("'type' must match " + TYPE_PATTERN.pattern());
        }
        if (authId == null || authId.isEmpty()) {
            throw new IllegalArgumentException("'auth-id' must not be empty");
        }
        if (HASHED_PASSWORD.equals(type) && !PASSWORD_AUTH_ID_PATTERN.matcher(authId).matches()) {
            throw new IllegalArgumentException("'auth-id' of hashed-password credentials must match "
                    + PASSWORD_AUTH_ID_PATTERN.pattern());
        }
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("'secrets' must contain at least one secret");
        }
        secrets = List.copyOf(secrets);
        ext = ImmutableJson.copyOf(ext);
        additionalProperties = ImmutableJson.copyOf(additionalProperties);
    }

    /** The key that must be unique within a tenant. */
    public String typeAndAuthId() {
        return type + "::" + authId;
    }

    /** Whether these credentials identify the given (type, auth-id). */
    public boolean matches(String otherType, String otherAuthId) {
        return type.equals(otherType) && authId.equals(otherAuthId);
    }

    /** The secrets usable for authentication at that instant; none when the credentials are disabled. */
    public List<Secret> usableSecretsAt(Instant now) {
        return enabled ? secrets.stream().filter(s -> s.usableAt(now)).toList() : List.of();
    }

    /** A copy with other secrets. */
    public Credential withSecrets(List<Secret> newSecrets) {
        return new Credential(type, authId, enabled, comment, ext, newSecrets, additionalProperties);
    }
}
