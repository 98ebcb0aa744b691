package io.twinworks.localstack.hono.registry;

import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.json.InvalidResourceException;
import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.Secret;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException;
import io.twinworks.localstack.hono.registry.store.StoredResource;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Updates of a device's credentials set the way Hono's registries do them: clear-text
 * {@code pwd-plain} secrets are hashed with BCrypt, uploaded hashes are checked, and the set is
 * merged in <em>patch mode</em> — a secret that carries only the {@code id} of an existing secret
 * keeps that secret's hash or key, secrets without an {@code id} get a new one, and credentials
 * missing from the update are removed.
 */
public final class CredentialsManagement {

    private final WorkerExecutor passwordWork;
    private final RegistryStore store;
    private final PasswordHashing hashing;

    /** Creates the management over a store. */
    public CredentialsManagement(WorkerExecutor passwordWork, RegistryStore store, PasswordHashing hashing) {
        this.passwordWork = Objects.requireNonNull(passwordWork, "passwordWork");
        this.store = Objects.requireNonNull(store, "store");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
    }

    /**
     * Replaces a device's credentials set.
     *
     * @param update          the parsed request body (may contain clear-text passwords)
     * @param expectedVersion the {@code If-Match} version, if any
     * @return the stored set; fails with {@link InvalidResourceException} (bad hash, password too
     *         long) or {@link RegistryStoreException} (unknown tenant/device, conflict, version, unknown secret id)
     */
    public Future<StoredResource<List<Credential>>> replace(String tenantId, String deviceId, List<Credential> update,
                                                            Optional<String> expectedVersion) {
        Objects.requireNonNull(update, "update");
        // BCrypt runs here, on the registry's password executor and outside the store's lock.
        return passwordWork.executeBlocking(() -> hashAndCheck(update), false)
                .compose(hashed -> store.replaceCredentials(tenantId, deviceId,
                        existing -> mergeWithExisting(existing, hashed), expectedVersion));
    }

    /** Reads a device's credentials set, including hashes (for internal use; the API strips them). */
    public Future<StoredResource<List<Credential>>> read(String tenantId, String deviceId) {
        return store.readCredentials(tenantId, deviceId);
    }

    private List<Credential> hashAndCheck(List<Credential> update) {
        List<Credential> hashed = new ArrayList<>(update.size());
        for (Credential credential : update) {
            List<Secret> secrets = new ArrayList<>(credential.secrets().size());
            for (Secret secret : credential.secrets()) {
                try {
                    if (secret.plainPassword() != null) {
                        secrets.add(secret.withPasswordHash(hashing.hash(secret.plainPassword())));
                    } else {
                        if (secret.passwordHash() != null) {
                            hashing.checkAcceptable(secret.passwordHash());
                        }
                        secrets.add(secret);
                    }
                } catch (IllegalArgumentException e) {
                    throw new InvalidResourceException("credentials '" + credential.type() + "'/'"
                            + credential.authId() + "': " + e.getMessage());
                }
            }
            hashed.add(credential.withSecrets(secrets));
        }
        return hashed;
    }

    /**
     * Hono's patch mode: applied against the stored set inside the store's transaction, so that
     * concurrent updates cannot interleave between reading the old hashes and writing the new set.
     */
    static List<Credential> mergeWithExisting(List<Credential> existing, List<Credential> update) {
        List<Credential> merged = new ArrayList<>(update.size());
        for (Credential updated : update) {
            Optional<Credential> current = existing.stream()
                    .filter(c -> c.matches(updated.type(), updated.authId())).findFirst();
            List<Secret> secrets = new ArrayList<>(updated.secrets().size());
            for (Secret secret : updated.secrets()) {
                if (secret.id() == null) {
                    secrets.add(secret.withId(UUID.randomUUID().toString()));
                    continue;
                }
                Secret existingSecret = current.flatMap(c -> c.secrets().stream()
                                .filter(s -> secret.id().equals(s.id())).findFirst())
                        .orElseThrow(() -> new RegistryStoreException(RegistryStoreException.Failure.INVALID,
                                "credentials '" + updated.type() + "'/'" + updated.authId()
                                        + "' have no secret with id '" + secret.id() + "'"));
                secrets.add(secret.refersToExistingMaterial() ? secret.withMaterialOf(existingSecret) : secret);
            }
            merged.add(updated.withSecrets(secrets));
        }
        return merged;
    }
}
