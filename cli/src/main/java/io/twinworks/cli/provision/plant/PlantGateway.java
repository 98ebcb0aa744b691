package io.twinworks.cli.provision.plant;

import java.util.Objects;

/**
 * A Hono gateway of a plant (e.g. a device adapter in gateway mode): a device of its own, with
 * credentials, that assets name in {@code via} so it may publish for them. It has no twin.
 *
 * @param name     the gateway's name within the namespace (device ID {@code <namespace>:<name>})
 * @param authId   the Hono auth-id it logs in with
 * @param password its password (from the file or an environment variable)
 */
public record PlantGateway(String name, String authId, String password) {
    public PlantGateway {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(authId, "authId");
        Objects.requireNonNull(password, "password");
    }

    @Override
    public String toString() {
        // never print the password
        return "PlantGateway[" + name + ", authId=" + authId + "]";
    }
}
