package io.twinworks.policies;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Who holds which role, as Ditto subject IDs ({@code <issuer>:<subject>}, e.g.
 * {@code nginx:ditto}, {@code pre-authenticated:hono-connection}). A role without subjects gets no
 * policy entry.
 */
public record PolicySubjects(Map<PolicyRole, List<String>> byRole) {

    public PolicySubjects {
        EnumMap<PolicyRole, List<String>> copy = new EnumMap<>(PolicyRole.class);
        Objects.requireNonNull(byRole, "byRole").forEach((role, subjects) -> {
            for (String subject : subjects) {
                if (subject.indexOf(':') <= 0 || subject.endsWith(":")) {
                    throw new IllegalArgumentException("subject '" + subject + "' of role " + role
                            + " is not <issuer>:<subject>");
                }
            }
            copy.put(role, List.copyOf(subjects));
        });
        if (copy.getOrDefault(PolicyRole.ADMIN, List.of()).isEmpty()) {
            throw new IllegalArgumentException("a policy needs at least one ADMIN subject (somebody must be able to change it)");
        }
        byRole = java.util.Collections.unmodifiableMap(copy);
    }

    /** The subjects of a role (empty when none). */
    public List<String> of(PolicyRole role) {
        return byRole.getOrDefault(role, List.of());
    }
}
