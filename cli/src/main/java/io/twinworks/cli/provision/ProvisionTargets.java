package io.twinworks.cli.provision;

import java.net.URI;
import java.util.Objects;

/**
 * Where provisioning writes to, and as whom.
 *
 * @param dittoUrl          Ditto's base URL (API at {@code /api/2}, devops at {@code /devops})
 * @param dittoUser         the Ditto API user (must be an admin subject in the plant file, e.g. {@code nginx:ditto})
 * @param dittoPassword     its password
 * @param devopsUser        Ditto's devops user (connections)
 * @param devopsPassword    its password
 * @param registryUrl       Hono's device-registry management API base URL ({@code /v1/...})
 * @param registryUser      the registry's HTTP Basic user, or {@code null} when it needs none
 * @param registryPassword  its password
 */
public record ProvisionTargets(URI dittoUrl, String dittoUser, String dittoPassword, String devopsUser, String devopsPassword,
                               URI registryUrl, String registryUser, String registryPassword) {
    public ProvisionTargets {
        Objects.requireNonNull(dittoUrl, "dittoUrl");
        Objects.requireNonNull(dittoUser, "dittoUser");
        Objects.requireNonNull(dittoPassword, "dittoPassword");
        Objects.requireNonNull(devopsUser, "devopsUser");
        Objects.requireNonNull(devopsPassword, "devopsPassword");
        Objects.requireNonNull(registryUrl, "registryUrl");
    }

    static String base(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
