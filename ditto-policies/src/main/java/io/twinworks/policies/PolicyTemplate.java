package io.twinworks.policies;

import org.eclipse.ditto.json.JsonObject;

import java.util.Objects;

/**
 * One role's policy entry template, as read from {@code policy-templates/<role>.json}.
 *
 * @param role        the role
 * @param label       the policy entry label
 * @param description why the entry grants what it grants
 * @param subjectType the {@code type} written on each subject
 * @param resources   Ditto resources ({@code thing:/...}, {@code policy:/...}, {@code message:/...}) to
 *                    {@code {grant, revoke}}; keys may contain {@code {{feature}}},
 *                    {@code {{controllableFeature}}}, {@code {{action}}} and {@code {{featureAction}}},
 *                    expanded from the Thing Model
 */
public record PolicyTemplate(PolicyRole role, String label, String description, String subjectType, JsonObject resources) {
    public PolicyTemplate {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(subjectType, "subjectType");
        Objects.requireNonNull(resources, "resources");
    }
}
