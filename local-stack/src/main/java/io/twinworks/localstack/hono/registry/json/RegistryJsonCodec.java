package io.twinworks.localstack.hono.registry.json;

import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.HashFunction;
import io.twinworks.localstack.hono.registry.model.PasswordHash;
import io.twinworks.localstack.hono.registry.model.PlainPassword;
import io.twinworks.localstack.hono.registry.model.Secret;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Converts between the JSON of Hono's device-registry management API and the model records,
 * enforcing the API's schema (unknown members, wrong types, missing mandatory members are
 * {@link InvalidResourceException}s, which the HTTP API answers with 400).
 *
 * <p>The same representation is used for the documents in the store, with one difference:
 * {@link #credentialsToJson(List, boolean)} writes the confidential members (hashes, keys) only
 * for storage, never for API responses.
 */
public final class RegistryJsonCodec {

    private static final Pattern ALIAS_PATTERN = Pattern.compile("^[a-z0-9-]+$");

    private static final Set<String> TENANT_MEMBERS;
    private static final Set<String> DEVICE_MEMBERS = Set.of("enabled", "defaults", "via", "viaGroups", "memberOf",
            "authorities", "downstream-message-mapper", "upstream-message-mapper", "ext", "status",
            "command-endpoint");
    private static final Set<String> COMMAND_ENDPOINT_MEMBERS = Set.of("uri", "headers", "payload-properties");
    private static final Set<String> CREDENTIAL_MEMBERS = Set.of("type", "auth-id", "enabled", "secrets", "ext", "comment");
    private static final Set<String> COMMON_SECRET_MEMBERS = Set.of("id", "enabled", "not-before", "not-after", "comment");
    private static final Set<String> PASSWORD_SECRET_MEMBERS = union(COMMON_SECRET_MEMBERS,
            Set.of("hash-function", "pwd-hash", "salt", "pwd-plain"));
    private static final Set<String> PSK_SECRET_MEMBERS = union(COMMON_SECRET_MEMBERS, Set.of("key"));
    private static final Set<String> RPK_SECRET_MEMBERS = union(COMMON_SECRET_MEMBERS, Set.of("algorithm", "key"));
    private static final Set<String> STANDARD_TYPES =
            Set.of(Credential.HASHED_PASSWORD, Credential.PSK, Credential.X509_CERT, Credential.RPK);

    static {
        Set<String> tenantMembers = new HashSet<>(Set.of("enabled", "alias", "ext", "adapters", "defaults"));
        tenantMembers.addAll(Tenant.OTHER_CONFIGURATION_MEMBERS);
        TENANT_MEMBERS = Set.copyOf(tenantMembers);
    }

    private RegistryJsonCodec() {
    }

    // ------------------------------------------------------------------ tenants

    /** Parses a tenant body; {@code null} (empty body) is an enabled tenant with defaults. */
    public static Tenant parseTenant(JsonObject json) {
        if (json == null) {
            return Tenant.enabledWithDefaults();
        }
        JsonReader reader = new JsonReader(json, "");
        reader.rejectUnknownMembers(TENANT_MEMBERS);
        String alias = reader.string("alias");
        if (alias != null && !ALIAS_PATTERN.matcher(alias).matches()) {
            throw reader.invalid("'alias' must match " + ALIAS_PATTERN.pattern());
        }
        List<Map<String, Object>> adapters = new ArrayList<>();
        JsonArray adapterArray = reader.array("adapters");
        if (adapterArray != null) {
            if (adapterArray.isEmpty()) {
                throw reader.invalid("'adapters' must not be empty when set");
            }
            Set<String> types = new HashSet<>();
            for (int i = 0; i < adapterArray.size(); i++) {
                if (!(adapterArray.getValue(i) instanceof JsonObject adapter)) {
                    throw reader.invalid("adapters[" + i + "] must be a JSON object");
                }
                JsonReader adapterReader = new JsonReader(adapter, "adapters[" + i + "]");
                String type = adapterReader.string("type");
                if (type == null || type.isEmpty()) {
                    throw adapterReader.invalid("'type' is mandatory");
                }
                adapterReader.bool("enabled", false);
                adapterReader.bool("device-authentication-required", true);
                if (!types.add(type)) {
                    throw adapterReader.invalid("adapter type '" + type + "' is configured more than once");
                }
                adapters.add(JsonReader.toJavaMap(adapter));
            }
        }
        Map<String, Object> other = new LinkedHashMap<>();
        for (String member : Tenant.OTHER_CONFIGURATION_MEMBERS) {
            if (reader.has(member)) {
                other.put(member, checkOtherTenantMember(reader, member));
            }
        }
        return new Tenant(reader.bool("enabled", true), alias, reader.object("ext"), reader.object("defaults"),
                adapters, other);
    }

    private static Object checkOtherTenantMember(JsonReader reader, String member) {
        Object value = reader.json().getValue(member);
        boolean ok = switch (member) {
            case "minimum-message-size" -> value instanceof Integer || value instanceof Long
                    ? ((Number) value).longValue() >= 0 : false;
            case "trust-anchor-group" -> value instanceof String;
            case "trusted-ca" -> value instanceof JsonArray;
            default -> value instanceof JsonObject;
        };
        if (!ok) {
            String expected = switch (member) {
                case "minimum-message-size" -> "a non-negative integer";
                case "trust-anchor-group" -> "a string";
                case "trusted-ca" -> "a JSON array";
                default -> "a JSON object";
            };
            throw reader.invalid("'" + member + "' must be " + expected);
        }
        return JsonReader.toJava(value);
    }

    /** The API (and storage) form of a tenant. */
    public static JsonObject tenantToJson(Tenant tenant) {
        JsonObject json = new JsonObject().put("enabled", tenant.enabled());
        putIfPresent(json, "alias", tenant.alias());
        putIfNotEmpty(json, "ext", tenant.ext());
        putIfNotEmpty(json, "defaults", tenant.defaults());
        if (!tenant.adapters().isEmpty()) {
            JsonArray adapters = new JsonArray();
            tenant.adapters().forEach(adapter -> adapters.add(toJsonValue(adapter)));
            json.put("adapters", adapters);
        }
        tenant.otherConfiguration().forEach((member, value) -> json.put(member, toJsonValue(value)));
        return json;
    }

    // ------------------------------------------------------------------ devices

    /** Parses a device body; {@code null} (empty body) is an enabled device with defaults. A {@code status} member is read-only and ignored. */
    public static Device parseDevice(JsonObject json) {
        if (json == null) {
            return Device.enabledWithDefaults();
        }
        JsonReader reader = new JsonReader(json, "");
        reader.rejectUnknownMembers(DEVICE_MEMBERS);
        Map<String, Object> commandEndpoint = Map.of();
        JsonObject endpoint = reader.jsonObject("command-endpoint");
        if (endpoint != null) {
            JsonReader endpointReader = new JsonReader(endpoint, "command-endpoint");
            endpointReader.rejectUnknownMembers(COMMAND_ENDPOINT_MEMBERS);
            String uri = endpointReader.string("uri");
            if (uri == null || uri.isEmpty()) {
                throw endpointReader.invalid("'uri' is mandatory");
            }
            endpointReader.object("headers");
            endpointReader.object("payload-properties");
            commandEndpoint = JsonReader.toJavaMap(endpoint);
        }
        try {
            return new Device(
                    reader.bool("enabled", true),
                    reader.object("defaults"),
                    reader.stringList("via"),
                    reader.stringList("viaGroups"),
                    reader.stringList("memberOf"),
                    reader.stringList("authorities"),
                    reader.string("downstream-message-mapper"),
                    reader.string("upstream-message-mapper"),
                    commandEndpoint,
                    reader.object("ext"));
        } catch (InvalidResourceException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new InvalidResourceException(e.getMessage());
        }
    }

    /** The API (and storage) form of a device, without status. */
    public static JsonObject deviceToJson(Device device) {
        JsonObject json = new JsonObject().put("enabled", device.enabled());
        putIfNotEmpty(json, "defaults", device.defaults());
        putIfNotEmpty(json, "via", device.via());
        putIfNotEmpty(json, "viaGroups", device.viaGroups());
        putIfNotEmpty(json, "memberOf", device.memberOf());
        putIfNotEmpty(json, "authorities", device.authorities());
        putIfPresent(json, "downstream-message-mapper", device.downstreamMessageMapper());
        putIfPresent(json, "upstream-message-mapper", device.upstreamMessageMapper());
        putIfNotEmpty(json, "command-endpoint", device.commandEndpoint());
        putIfNotEmpty(json, "ext", device.ext());
        return json;
    }

    /** The API form of a device with its read-only {@code status} (created/updated), as Hono's GET returns it. */
    public static JsonObject deviceToJson(Device device, Instant created, Instant updated) {
        JsonObject status = new JsonObject().put("created", created.toString());
        if (updated != null) {
            status.put("updated", updated.toString());
        }
        return deviceToJson(device).put("status", status);
    }

    // ------------------------------------------------------------------ credentials

    /**
     * Parses a credentials set (the body of {@code PUT /v1/credentials/...}). Checks the schema of
     * each entry and that (type, auth-id) is unique within the set.
     */
    public static List<Credential> parseCredentials(JsonArray array) {
        if (array == null) {
            throw new InvalidResourceException("the body must be a JSON array of credentials");
        }
        List<Credential> credentials = new ArrayList<>(array.size());
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String location = "credentials[" + i + "]";
            if (!(array.getValue(i) instanceof JsonObject object)) {
                throw new InvalidResourceException(location + ": must be a JSON object");
            }
            Credential credential = parseCredential(new JsonReader(object, location));
            if (!keys.add(credential.typeAndAuthId())) {
                throw new InvalidResourceException(location + ": credentials must have unique (type, auth-id), '"
                        + credential.type() + "'/'" + credential.authId() + "' occurs more than once");
            }
            credentials.add(credential);
        }
        return credentials;
    }

    private static Credential parseCredential(JsonReader reader) {
        String type = reader.string("type");
        if (type == null || type.isEmpty()) {
            throw reader.invalid("'type' is mandatory");
        }
        if (!Credential.TYPE_PATTERN.matcher(type).matches()) {
            throw reader.invalid("'type' must match " + Credential.TYPE_PATTERN.pattern());
        }
        boolean standardType = STANDARD_TYPES.contains(type);
        Map<String, Object> additional = new LinkedHashMap<>();
        if (standardType) {
            reader.rejectUnknownMembers(CREDENTIAL_MEMBERS);
        } else {
            reader.json().forEach(entry -> {
                if (!CREDENTIAL_MEMBERS.contains(entry.getKey())) {
                    additional.put(entry.getKey(), JsonReader.toJava(entry.getValue()));
                }
            });
        }
        String authId = reader.string("auth-id");
        if (authId == null || authId.isEmpty()) {
            throw reader.invalid("'auth-id' is mandatory and must not be empty");
        }
        JsonArray secretArray = reader.array("secrets");
        if (secretArray == null || secretArray.isEmpty()) {
            throw reader.invalid("'secrets' is mandatory and must contain at least one secret");
        }
        if (Credential.X509_CERT.equals(type) && secretArray.size() > 1) {
            throw reader.invalid("x509-cert credentials have exactly one secret");
        }
        List<Secret> secrets = new ArrayList<>();
        Set<String> secretIds = new HashSet<>();
        for (int i = 0; i < secretArray.size(); i++) {
            String location = reader.location() + ".secrets[" + i + "]";
            if (!(secretArray.getValue(i) instanceof JsonObject secretJson)) {
                throw new InvalidResourceException(location + ": must be a JSON object");
            }
            Secret secret = parseSecret(type, new JsonReader(secretJson, location));
            if (secret.id() != null && !secretIds.add(secret.id())) {
                throw new InvalidResourceException(location + ": secret id '" + secret.id() + "' occurs more than once");
            }
            secrets.add(secret);
        }
        try {
            return new Credential(type, authId, reader.bool("enabled", true), reader.string("comment"),
                    reader.object("ext"), secrets, additional);
        } catch (InvalidResourceException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw reader.invalid(e.getMessage());
        }
    }

    private static Secret parseSecret(String type, JsonReader reader) {
        String id = reader.string("id");
        boolean enabled = reader.bool("enabled", true);
        Instant notBefore = reader.instant("not-before");
        Instant notAfter = reader.instant("not-after");
        String comment = reader.string("comment");
        PasswordHash passwordHash = null;
        PlainPassword plainPassword = null;
        Map<String, Object> material = new LinkedHashMap<>();
        switch (type) {
            case Credential.HASHED_PASSWORD -> {
                reader.rejectUnknownMembers(PASSWORD_SECRET_MEMBERS);
                String plain = reader.string("pwd-plain");
                String hash = reader.string("pwd-hash");
                String function = reader.string("hash-function");
                String salt = reader.string("salt");
                if (plain != null && !plain.isEmpty()) {
                    // The API says: with pwd-plain, user-provided hash properties are ignored.
                    plainPassword = new PlainPassword(plain);
                } else if (hash != null && !hash.isEmpty()) {
                    if (function == null || function.isEmpty()) {
                        throw reader.invalid("'hash-function' must not be empty when 'pwd-hash' is given");
                    }
                    HashFunction hashFunction = HashFunction.fromWireName(function).orElseThrow(() -> reader.invalid(
                            "unsupported 'hash-function' '" + function + "' (supported: bcrypt, sha-256, sha-512)"));
                    if (salt != null && hashFunction == HashFunction.BCRYPT) {
                        throw reader.invalid("'salt' must not be set for bcrypt (the salt is part of the hash)");
                    }
                    passwordHash = new PasswordHash(hashFunction, hash, salt);
                } else if (id == null) {
                    throw reader.invalid("a hashed-password secret needs 'pwd-plain', 'pwd-hash' + 'hash-function',"
                            + " or the 'id' of an existing secret");
                } else if (function != null || salt != null) {
                    throw reader.invalid("'hash-function'/'salt' given without 'pwd-hash'");
                }
            }
            case Credential.PSK -> {
                reader.rejectUnknownMembers(PSK_SECRET_MEMBERS);
                String key = reader.string("key");
                if (key != null) {
                    requireBase64(reader, "key", key);
                    material.put("key", key);
                } else if (id == null) {
                    throw reader.invalid("'key' is mandatory for psk secrets without an 'id'");
                }
            }
            case Credential.X509_CERT -> reader.rejectUnknownMembers(COMMON_SECRET_MEMBERS);
            case Credential.RPK -> {
                reader.rejectUnknownMembers(RPK_SECRET_MEMBERS);
                String key = reader.string("key");
                String algorithm = reader.string("algorithm");
                if (key != null) {
                    requireBase64(reader, "key", key);
                    material.put("key", key);
                    material.put("algorithm", algorithm == null ? "RSA" : algorithm);
                } else if (algorithm != null) {
                    throw reader.invalid("'algorithm' given without 'key'");
                } else if (id == null) {
                    throw reader.invalid("'key' is mandatory for rpk secrets without an 'id'");
                }
            }
            default -> reader.json().forEach(entry -> {
                if (!COMMON_SECRET_MEMBERS.contains(entry.getKey())) {
                    material.put(entry.getKey(), JsonReader.toJava(entry.getValue()));
                }
            });
        }
        try {
            return new Secret(id, enabled, notBefore, notAfter, comment, passwordHash, plainPassword, material);
        } catch (IllegalArgumentException e) {
            throw reader.invalid(e.getMessage());
        }
    }

    /**
     * The JSON form of a credentials set.
     *
     * @param includeConfidential {@code true} only for the store: hashes, salts and keys; API
     *                            responses leave them out (Hono's "patch mode": secrets carry
     *                            only their metadata and {@code id})
     */
    public static JsonArray credentialsToJson(List<Credential> credentials, boolean includeConfidential) {
        JsonArray array = new JsonArray();
        for (Credential credential : credentials) {
            JsonObject json = new JsonObject()
                    .put("type", credential.type())
                    .put("auth-id", credential.authId())
                    .put("enabled", credential.enabled());
            putIfPresent(json, "comment", credential.comment());
            putIfNotEmpty(json, "ext", credential.ext());
            credential.additionalProperties().forEach((member, value) -> json.put(member, toJsonValue(value)));
            JsonArray secrets = new JsonArray();
            for (Secret secret : credential.secrets()) {
                secrets.add(secretToJson(credential.type(), secret, includeConfidential));
            }
            json.put("secrets", secrets);
            array.add(json);
        }
        return array;
    }

    private static JsonObject secretToJson(String type, Secret secret, boolean includeConfidential) {
        if (secret.plainPassword() != null) {
            throw new IllegalStateException("a clear-text password must be hashed before it is written anywhere");
        }
        JsonObject json = new JsonObject();
        putIfPresent(json, "id", secret.id());
        json.put("enabled", secret.enabled());
        if (secret.notBefore() != null) {
            json.put("not-before", secret.notBefore().toString());
        }
        if (secret.notAfter() != null) {
            json.put("not-after", secret.notAfter().toString());
        }
        putIfPresent(json, "comment", secret.comment());
        // A raw public key is public: Hono returns it. Everything else is confidential.
        boolean materialIsPublic = Credential.RPK.equals(type);
        if (includeConfidential) {
            PasswordHash hash = secret.passwordHash();
            if (hash != null) {
                json.put("hash-function", hash.function().wireName()).put("pwd-hash", hash.hash());
                putIfPresent(json, "salt", hash.salt());
            }
        }
        if (includeConfidential || materialIsPublic) {
            secret.material().forEach((member, value) -> json.put(member, toJsonValue(value)));
        }
        return json;
    }

    // ------------------------------------------------------------------ helpers

    private static void requireBase64(JsonReader reader, String member, String value) {
        try {
            Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw reader.invalid("'" + member + "' must be Base64");
        }
    }

    private static void putIfPresent(JsonObject json, String member, String value) {
        if (value != null) {
            json.put(member, value);
        }
    }

    private static void putIfNotEmpty(JsonObject json, String member, Map<String, Object> value) {
        if (!value.isEmpty()) {
            json.put(member, toJsonValue(value));
        }
    }

    private static void putIfNotEmpty(JsonObject json, String member, List<String> value) {
        if (!value.isEmpty()) {
            json.put(member, new JsonArray(new ArrayList<>(value)));
        }
    }

    /** Plain Java maps/lists to Vert.x JSON types, so that {@code getJsonObject} works on the result. */
    @SuppressWarnings("unchecked")
    static Object toJsonValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            JsonObject object = new JsonObject();
            ((Map<String, Object>) map).forEach((k, v) -> object.put(k, toJsonValue(v)));
            return object;
        }
        if (value instanceof List<?> list) {
            JsonArray array = new JsonArray();
            list.forEach(element -> array.add(toJsonValue(element)));
            return array;
        }
        return value;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return Set.copyOf(union);
    }
}
