package io.twinworks.localstack.hono.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.twinworks.localstack.hono.registry.RegistryException.Reason;
import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.model.Credential;
import io.twinworks.localstack.hono.registry.model.PlainPassword;
import io.twinworks.localstack.hono.registry.model.Secret;
import io.twinworks.localstack.hono.registry.store.AuthenticationLookup;
import io.twinworks.localstack.hono.registry.store.RegistrationLookup;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * The device registry as protocol adapters see it (Hono's Credentials and Device Registration
 * APIs), backed by the {@link RegistryStore}.
 *
 * <p>Authentication follows Hono's verification rules: disabled credentials and secrets outside
 * their {@code not-before}/{@code not-after} window are never used; {@code bcrypt},
 * {@code sha-256} and {@code sha-512} hashes are checked on a worker thread. Whether a device is
 * disabled is only revealed after its password was verified, and an unknown auth-id costs as much
 * time as a wrong password, so that the answers do not tell an attacker which auth-ids exist.
 * Passwords are never logged.
 */
public final class PersistentDeviceRegistryService implements DeviceRegistryService {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentDeviceRegistryService.class);

    private final WorkerExecutor passwordWork;
    private final RegistryStore store;
    private final PasswordHashing hashing;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Timer passwordCheckTimer;
    private volatile Secret timingDecoy;

    /**
     * Creates the service.
     *
     * @param passwordWork runs the BCrypt password checks (a named executor: never Vert.x's shared worker pool)
     * @param store   the registry's state
     * @param hashing the password hashing (its BCrypt cost also sizes the timing decoy)
     * @param clock   the time {@code not-before}/{@code not-after} are checked against
     * @param meters  receives {@code hono_registry_authentications_total{outcome}} and
     *                {@code hono_registry_password_check_seconds}
     */
    public PersistentDeviceRegistryService(WorkerExecutor passwordWork, RegistryStore store, PasswordHashing hashing, Clock clock,
                                           MeterRegistry meters) {
        this.passwordWork = Objects.requireNonNull(passwordWork, "passwordWork");
        this.store = Objects.requireNonNull(store, "store");
        this.hashing = Objects.requireNonNull(hashing, "hashing");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.meters = Objects.requireNonNull(meters, "meters");
        this.passwordCheckTimer = Timer.builder("hono.registry.password.check")
                .description("time to verify one device password against its secrets")
                .register(meters);
    }

    @Override
    public Future<AuthenticatedDevice> authenticate(String tenantId, String authId, String password) {
        if (tenantId == null || authId == null || password == null) {
            return refuse(Reason.BAD_CREDENTIALS, tenantId, authId, "tenant, auth-id and password are required");
        }
        return store.lookupForAuthentication(tenantId, Credential.HASHED_PASSWORD, authId).compose(lookup -> {
            if (lookup.tenant() == null) {
                return refuse(Reason.TENANT_NOT_FOUND, tenantId, authId, "tenant does not exist");
            }
            if (!lookup.tenant().enabled()) {
                return refuse(Reason.TENANT_DISABLED, tenantId, authId, "tenant is disabled");
            }
            List<Secret> usable = lookup.credential() == null ? List.of()
                    : lookup.credential().usableSecretsAt(clock.instant());
            return passwordWork.executeBlocking(() -> passwordMatches(password, usable), false)
                    .compose(matches -> decide(lookup, tenantId, authId, matches, usable.isEmpty()));
        });
    }

    private Future<AuthenticatedDevice> decide(AuthenticationLookup lookup, String tenantId, String authId,
                                               boolean matches, boolean noUsableSecret) {
        if (!matches) {
            String why = lookup.credential() == null ? "no hashed-password credentials with this auth-id"
                    : noUsableSecret ? "credentials disabled or no secret valid now" : "password does not match";
            return refuse(Reason.BAD_CREDENTIALS, tenantId, authId, why);
        }
        if (lookup.device() == null) {
            return refuse(Reason.BAD_CREDENTIALS, tenantId, authId, "credentials belong to no registered device");
        }
        if (!lookup.device().enabled()) {
            return refuse(Reason.DEVICE_DISABLED, tenantId, authId, "device '" + lookup.deviceId() + "' is disabled");
        }
        count("success");
        LOG.debug("authenticated auth-id '{}' of tenant '{}' as device '{}'", authId, tenantId, lookup.deviceId());
        return Future.succeededFuture(new AuthenticatedDevice(tenantId, lookup.deviceId(), authId));
    }

    /** Runs on a worker thread. */
    private boolean passwordMatches(String password, List<Secret> usable) {
        Timer.Sample sample = Timer.start(meters);
        try {
            if (usable.isEmpty()) {
                // Same cost as a real check, so response time does not reveal unknown auth-ids.
                hashing.matches(password, timingDecoy().passwordHash());
                return false;
            }
            for (Secret secret : usable) {
                if (secret.passwordHash() != null && hashing.matches(password, secret.passwordHash())) {
                    return true;
                }
            }
            return false;
        } finally {
            sample.stop(passwordCheckTimer);
        }
    }

    private Secret timingDecoy() {
        Secret decoy = timingDecoy;
        if (decoy == null) {
            // A race creates two decoys at worst; both are equally good.
            decoy = new Secret(null, true, null, null, null,
                    hashing.hash(new PlainPassword("timing-decoy-" + System.nanoTime())), null, null);
            timingDecoy = decoy;
        }
        return decoy;
    }

    @Override
    public Future<Void> assertRegistration(String tenantId, String deviceId, String gatewayId) {
        if (tenantId == null || deviceId == null) {
            return Future.failedFuture(new RegistryException(Reason.DEVICE_NOT_FOUND, "tenant and device ID are required"));
        }
        String effectiveGateway = gatewayId == null || gatewayId.equals(deviceId) ? null : gatewayId;
        return store.lookupForRegistration(tenantId, deviceId, effectiveGateway).compose(lookup -> check(lookup,
                tenantId, deviceId, effectiveGateway));
    }

    private Future<Void> check(RegistrationLookup lookup, String tenantId, String deviceId, String gatewayId) {
        if (lookup.tenant() == null) {
            return Future.failedFuture(new RegistryException(Reason.TENANT_NOT_FOUND, "tenant '" + tenantId + "' does not exist"));
        }
        if (!lookup.tenant().enabled()) {
            return Future.failedFuture(new RegistryException(Reason.TENANT_DISABLED, "tenant '" + tenantId + "' is disabled"));
        }
        if (lookup.device() == null) {
            return Future.failedFuture(new RegistryException(Reason.DEVICE_NOT_FOUND, describe(tenantId, deviceId) + " does not exist"));
        }
        if (!lookup.device().enabled()) {
            return Future.failedFuture(new RegistryException(Reason.DEVICE_DISABLED, describe(tenantId, deviceId) + " is disabled"));
        }
        if (gatewayId != null) {
            if (lookup.gateway() == null || !lookup.gateway().enabled()) {
                return Future.failedFuture(new RegistryException(Reason.GATEWAY_NOT_AUTHORIZED,
                        "gateway '" + gatewayId + "' does not exist or is disabled"));
            }
            if (!lookup.device().acceptsGateway(gatewayId, lookup.gateway().memberOf())) {
                return Future.failedFuture(new RegistryException(Reason.GATEWAY_NOT_AUTHORIZED,
                        "gateway '" + gatewayId + "' is not in the 'via' or 'viaGroups' of " + describe(tenantId, deviceId)));
            }
        }
        return Future.succeededFuture();
    }

    /** A device for a refusal's message (built only when refusing: the assertion runs per PUBLISH). */
    private static String describe(String tenantId, String deviceId) {
        return "device '" + deviceId + "' of tenant '" + tenantId + "'";
    }

    private <T> Future<T> refuse(Reason reason, String tenantId, String authId, String why) {
        count(reason.name().toLowerCase());
        LOG.debug("authentication of auth-id '{}' of tenant '{}' refused ({}): {}", authId, tenantId, reason, why);
        return Future.failedFuture(new RegistryException(reason,
                "authentication of auth-id '" + authId + "' of tenant '" + tenantId + "' refused: " + reason));
    }

    private void count(String outcome) {
        Counter.builder("hono.registry.authentications")
                .description("device authentications by outcome")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
