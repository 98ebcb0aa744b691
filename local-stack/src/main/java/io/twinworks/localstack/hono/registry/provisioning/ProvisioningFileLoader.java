package io.twinworks.localstack.hono.registry.provisioning;

import io.twinworks.localstack.hono.registry.CredentialsManagement;
import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.model.Secret;
import io.twinworks.localstack.hono.registry.model.Tenant;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException;
import io.twinworks.localstack.hono.registry.store.StoredResource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Loads a registry provisioning file, the local stack's equivalent of a series of management API
 * calls:
 *
 * <pre>{@code
 * {"tenants":     {"<tenant>": {..tenant body..}},
 *  "devices":     {"<tenant>": {"<device-id>": {..device body..}}},
 *  "credentials": {"<tenant>": {"<device-id>": [..credentials as for PUT /v1/credentials..]}}}
 * }</pre>
 *
 * <p>Idempotent: each entry is created, updated or left alone, so loading the same file at every
 * {@code twinworks up} changes nothing the second time. A {@code pwd-plain} secret counts as
 * unchanged when the stored secret with the same metadata verifies that password, so its hash (and
 * ID) is kept instead of being re-hashed with a new salt. The whole file is validated before
 * anything is written; an invalid entry fails the load with a message naming it.
 */
public final class ProvisioningFileLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningFileLoader.class);
    private static final Set<String> TOP_LEVEL_MEMBERS = Set.of("tenants", "devices", "credentials");

    private final Vertx vertx;
    private final WorkerExecutor passwordWork;
    private final RegistryStore store;
    private final CredentialsManagement credentials;
    private final PasswordHashing hashing;

    /** Creates the loader over the registry's parts. */
    public ProvisioningFileLoader(Vertx vertx, WorkerExecutor passwordWork, RegistryStore store,
                                  CredentialsManagement credentials, PasswordHashing hashing) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.passwordWork = Objects.requireNonNull(passwordWork, "passwordWork");
        this.store = Objects.requireNonNull(store, "store");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
    }

    /** Loads a file; fails with {@link ProvisioningException} naming the file and the entry. */
    public Future<ProvisioningReport> load(Path file) {
        String name = file.toString();
        return vertx.fileSystem().readFile(name)
                .recover(e -> Future.failedFuture(new ProvisioningException(
                        "provisioning file " + name + " cannot be read: " + e.getMessage(), e)))
                .compose(buffer -> {
                    Provisioning provisioning;
                    try {
                        provisioning = parse(buffer.toString());
                    } catch (RuntimeException e) {
                        return Future.failedFuture(new ProvisioningException(
                                "provisioning file " + name + ": " + e.getMessage(), e));
                    }
                    return apply(name, provisioning);
                })
                .onSuccess(report -> LOG.info("provisioning file {} loaded: {}", name, report.summary()));
    }

    // ------------------------------------------------------------------ parsing (all before any write)

    private record Entry<T>(String name, String tenantId, String id, T value) {
    }

    private record Provisioning(List<Entry<Tenant>> tenants, List<Entry<Device>> devices,
                                List<Entry<List<Credential>>> credentials) {
    }

    private static Provisioning parse(String text) {
        JsonObject root;
        try {
            root = new JsonObject(text);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
        for (String member : root.fieldNames()) {
            if (!TOP_LEVEL_MEMBERS.contains(member)) {
                throw new IllegalArgumentException("unknown top-level member '" + member + "' (expected tenants, devices, credentials)");
            }
        }
        List<Entry<Tenant>> tenants = new ArrayList<>();
        objectMember(root, "tenants").forEach((tenantId, body) -> tenants.add(entry("tenants." + tenantId,
                tenantId, tenantId, body, value -> RegistryJsonCodec.parseTenant(asObject(value)))));
        List<Entry<Device>> devices = new ArrayList<>();
        objectMember(root, "devices").forEach((tenantId, perTenant) -> nested("devices." + tenantId, perTenant)
                .forEach((deviceId, body) -> devices.add(entry("devices." + tenantId + "." + deviceId,
                        tenantId, deviceId, body, value -> RegistryJsonCodec.parseDevice(asObject(value))))));
        List<Entry<List<Credential>>> credentialSets = new ArrayList<>();
        objectMember(root, "credentials").forEach((tenantId, perTenant) -> nested("credentials." + tenantId, perTenant)
                .forEach((deviceId, body) -> credentialSets.add(entry("credentials." + tenantId + "." + deviceId,
                        tenantId, deviceId, body, value -> {
                            if (!(value instanceof JsonArray array)) {
                                throw new IllegalArgumentException("must be a JSON array of credentials");
                            }
                            List<Credential> parsed = RegistryJsonCodec.parseCredentials(array);
                            if (parsed.stream().flatMap(c -> c.secrets().stream()).anyMatch(s -> s.id() != null)) {
                                throw new IllegalArgumentException("secrets in a provisioning file must not have an 'id'");
                            }
                            return parsed;
                        }))));
        return new Provisioning(tenants, devices, credentialSets);
    }

    private static <T> Entry<T> entry(String name, String tenantId, String id, Object body, Function<Object, T> parser) {
        try {
            return new Entry<>(name, tenantId, id, parser.apply(body));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> objectMember(JsonObject root, String member) {
        Object value = root.getValue(member);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("'" + member + "' must be a JSON object");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    private static Map<String, Object> nested(String name, Object value) {
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException(name + ": must be a JSON object keyed by device ID");
        }
        Map<String, Object> map = new LinkedHashMap<>();
        object.forEach(e -> map.put(e.getKey(), e.getValue()));
        return map;
    }

    private static JsonObject asObject(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("must be a JSON object");
        }
        return object;
    }

    // ------------------------------------------------------------------ applying (one entry after the other)

    private Future<ProvisioningReport> apply(String file, Provisioning provisioning) {
        int[] tenants = new int[3];
        int[] devices = new int[3];
        int[] credentialCounts = new int[3];
        Future<Void> chain = Future.succeededFuture();
        for (Entry<Tenant> tenant : provisioning.tenants()) {
            chain = chain.compose(v -> named(file, tenant, applyTenant(tenant)).map(outcome -> count(tenants, outcome)));
        }
        for (Entry<Device> device : provisioning.devices()) {
            chain = chain.compose(v -> named(file, device, applyDevice(device)).map(outcome -> count(devices, outcome)));
        }
        for (Entry<List<Credential>> set : provisioning.credentials()) {
            chain = chain.compose(v -> named(file, set, applyCredentials(set)).map(outcome -> count(credentialCounts, outcome)));
        }
        return chain.map(v -> new ProvisioningReport(counts(tenants), counts(devices), counts(credentialCounts)));
    }

    private enum Outcome { CREATED, UPDATED, UNCHANGED }

    private Future<Outcome> applyTenant(Entry<Tenant> entry) {
        return store.readTenant(entry.id())
                .compose(existing -> existing.value().equals(entry.value())
                        ? Future.succeededFuture(Outcome.UNCHANGED)
                        : store.updateTenant(entry.id(), entry.value(), Optional.of(existing.version())).map(Outcome.UPDATED),
                        e -> isFailure(e, RegistryStoreException.Failure.TENANT_NOT_FOUND)
                                ? store.createTenant(entry.id(), entry.value()).map(Outcome.CREATED)
                                : Future.failedFuture(e));
    }

    private Future<Outcome> applyDevice(Entry<Device> entry) {
        return store.readDevice(entry.tenantId(), entry.id())
                .compose(existing -> existing.value().equals(entry.value())
                        ? Future.succeededFuture(Outcome.UNCHANGED)
                        : store.updateDevice(entry.tenantId(), entry.id(), entry.value(), Optional.of(existing.version()))
                                .map(Outcome.UPDATED),
                        e -> isFailure(e, RegistryStoreException.Failure.DEVICE_NOT_FOUND)
                                ? store.createDevice(entry.tenantId(), entry.id(), entry.value()).map(Outcome.CREATED)
                                : Future.failedFuture(e));
    }

    private Future<Outcome> applyCredentials(Entry<List<Credential>> entry) {
        return credentials.read(entry.tenantId(), entry.id()).compose(existing ->
                // Verifying pwd-plain against stored BCrypt hashes is slow: the password executor.
                passwordWork.executeBlocking(() -> reuseEquivalentSecrets(existing.value(), entry.value()), false)
                        .compose(resolved -> {
                            if (resolved.equals(existing.value())) {
                                return Future.succeededFuture(Outcome.UNCHANGED);
                            }
                            Outcome outcome = existing.value().isEmpty() ? Outcome.CREATED : Outcome.UPDATED;
                            return credentials.replace(entry.tenantId(), entry.id(), resolved,
                                    Optional.of(existing.version())).map(outcome);
                        }));
    }

    /** Replaces each new secret by the stored one it is equivalent to, so unchanged secrets keep ID and hash. */
    private List<Credential> reuseEquivalentSecrets(List<Credential> existing, List<Credential> wanted) {
        List<Credential> resolved = new ArrayList<>(wanted.size());
        for (Credential credential : wanted) {
            List<Secret> candidates = new ArrayList<>(existing.stream()
                    .filter(c -> c.matches(credential.type(), credential.authId()))
                    .findFirst().map(Credential::secrets).orElse(List.of()));
            List<Secret> secrets = new ArrayList<>();
            for (Secret secret : credential.secrets()) {
                Optional<Secret> match = candidates.stream().filter(c -> equivalent(secret, c)).findFirst();
                match.ifPresent(candidates::remove);
                secrets.add(match.orElse(secret));
            }
            resolved.add(credential.withSecrets(secrets));
        }
        return resolved;
    }

    private boolean equivalent(Secret wanted, Secret stored) {
        if (wanted.plainPassword() == null) {
            return wanted.equalsIgnoringId(stored);
        }
        Secret metadataOnly = new Secret(null, wanted.enabled(), wanted.notBefore(), wanted.notAfter(),
                wanted.comment(), null, null, wanted.material());
        Secret storedMetadata = new Secret(null, stored.enabled(), stored.notBefore(), stored.notAfter(),
                stored.comment(), null, null, stored.material());
        return metadataOnly.equals(storedMetadata) && stored.passwordHash() != null
                && hashing.matches(wanted.plainPassword().value(), stored.passwordHash());
    }

    private static <T> Future<T> named(String file, Entry<?> entry, Future<T> operation) {
        return operation.recover(e -> Future.failedFuture(new ProvisioningException(
                "provisioning file " + file + ": " + entry.name() + ": " + e.getMessage(), e)));
    }

    private static boolean isFailure(Throwable e, RegistryStoreException.Failure failure) {
        return e instanceof RegistryStoreException storeException && storeException.failure() == failure;
    }

    private static Void count(int[] counts, Outcome outcome) {
        counts[outcome.ordinal()]++;
        return null;
    }

    private static ProvisioningReport.Counts counts(int[] counts) {
        return new ProvisioningReport.Counts(counts[0], counts[1], counts[2]);
    }
}
