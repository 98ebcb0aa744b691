package io.twinworks.localstack.hono.registry.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One secret of a set of credentials, scoped to a validity period.
 *
 * @param id            the registry-assigned identifier (patch mode), or {@code null} before assignment
 * @param enabled       whether the secret may be used (Hono default: {@code true})
 * @param notBefore     start of validity, or {@code null} for "always"
 * @param notAfter      end of validity, or {@code null} for "forever"
 * @param comment       free text, or {@code null}
 * @param passwordHash  the hash of a {@code hashed-password} secret, or {@code null}
 * @param plainPassword a {@code pwd-plain} still to be hashed (update requests only), or {@code null}
 * @param material      the type-specific members of other credential types (e.g. {@code key} of
 *                      {@code psk}, {@code algorithm}/{@code key} of {@code rpk})
 */
public record Secret(
        String id,
        boolean enabled,
        Instant notBefore,
        Instant notAfter,
        String comment,
        PasswordHash passwordHash,
        PlainPassword plainPassword,
        Map<String, Object> material) {

    public Secret {
        material = ImmutableJson.copyOf(material);
        if (id != null && id.isBlank()) {
            throw new IllegalArgumentException("secret 'id' must not be blank");
        }
        if (notBefore != null && notAfter != null && notBefore.isAfter(notAfter)) {
            throw new IllegalArgumentException("'not-before' must not be after 'not-after'");
        }
        if (passwordHash != null && plainPassword != null) {
            throw new IllegalArgumentException("a secret holds either 'pwd-plain' or 'pwd-hash', not both");
        }
    }

    /**
     * Whether the secret may be used for authentication at a point in time: enabled, and the
     * instant lies within [{@code not-before}, {@code not-after}] (both inclusive, as Hono's
     * credential verification rules say).
     */
    public boolean usableAt(Instant now) {
        Objects.requireNonNull(now, "now");
        return enabled
                && (notBefore == null || !now.isBefore(notBefore))
                && (notAfter == null || !now.isAfter(notAfter));
    }

    /**
     * Whether this secret only refers to an existing one by {@link #id()}: it carries no
     * confidential material, so an update keeps the existing secret's hash or key.
     */
    public boolean refersToExistingMaterial() {
        return id != null && passwordHash == null && plainPassword == null && material.isEmpty();
    }

    /** A copy with another ID. */
    public Secret withId(String newId) {
        return new Secret(newId, enabled, notBefore, notAfter, comment, passwordHash, plainPassword, material);
    }

    /** A copy whose confidential material is taken from {@code existing} (patch mode merge). */
    public Secret withMaterialOf(Secret existing) {
        return new Secret(id, enabled, notBefore, notAfter, comment, existing.passwordHash, existing.plainPassword,
                existing.material);
    }

    /** A copy with the password hashed. */
    public Secret withPasswordHash(PasswordHash hash) {
        return new Secret(id, enabled, notBefore, notAfter, comment, hash, null, material);
    }

    /** Whether this secret equals another in everything but its {@link #id()}. */
    public boolean equalsIgnoringId(Secret other) {
        return withId(null).equals(other.withId(null));
    }
}
