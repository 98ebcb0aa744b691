package io.twinworks.cli.provision.plant;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Objects;

/**
 * One asset of a plant.
 *
 * @param name       the asset's name within the namespace
 * @param type       its Thing Model (short name, file name or URL)
 * @param attributes attribute values of its twin (checked against the model)
 * @param authId     the Hono auth-id the device logs in with ({@code auth-id@tenant})
 * @param password   the device's password (from the file or an environment variable)
 * @param binding    how the device is attached ({@code {mqtt: {...}}} or {@code {serial: {...}}}), kept in
 *                   the Hono device's {@code ext} for the device adapters
 * @param via        names of the plant's gateways that may publish for it (Hono's {@code via})
 */
public record PlantAsset(String name, String type, Map<String, JsonNode> attributes, String authId, String password,
                         JsonNode binding, java.util.List<String> via) {

    /** An asset that connects itself (no gateway). */
    public PlantAsset(String name, String type, Map<String, JsonNode> attributes, String authId, String password,
                      JsonNode binding) {
        this(name, type, attributes, authId, password, binding, java.util.List.of());
    }

    public PlantAsset {
        via = java.util.List.copyOf(via);
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        attributes = Map.copyOf(attributes);
        Objects.requireNonNull(authId, "authId");
        Objects.requireNonNull(password, "password");
        binding = binding.deepCopy();
    }

    @Override
    public JsonNode binding() {
        return binding.deepCopy();
    }

    @Override
    public String toString() {
        // never print the password
        return "PlantAsset[" + name + ", " + type + ", authId=" + authId + "]";
    }
}
