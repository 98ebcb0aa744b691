package io.twinworks.localstack.hono.mqtt;

import io.twinworks.localstack.hono.registry.AuthenticatedDevice;
import io.twinworks.localstack.hono.registry.DeviceRegistryService;
import io.twinworks.localstack.hono.registry.RegistryException;
import io.vertx.core.Future;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test double of the device registry: tenants, devices (enabled flag, {@code via} gateways) and
 * plain-text passwords in maps, plus a switch that makes every call fail as if the registry were
 * down. Only for tests of the MQTT endpoint; the real registry is wired in the local stack.
 */
final class InMemoryDeviceRegistryTestDouble implements DeviceRegistryService {

    private record Device(boolean enabled, Set<String> via) {
    }

    private record Credentials(String deviceId, String password) {
    }

    private final Map<String, Boolean> tenants = new ConcurrentHashMap<>();
    private final Map<String, Device> devices = new ConcurrentHashMap<>();
    private final Map<String, Credentials> credentials = new ConcurrentHashMap<>();
    private volatile boolean unavailable;
    private volatile boolean throwing;
    private final java.util.concurrent.atomic.AtomicInteger checksToReverse = new java.util.concurrent.atomic.AtomicInteger();
    private volatile int reversedChecks;
    private volatile io.vertx.core.Vertx reversingVertx;

    void addTenant(String tenantId, boolean enabled) {
        tenants.put(tenantId, enabled);
    }

    void addDevice(String tenantId, String deviceId, boolean enabled, Set<String> via) {
        devices.put(tenantId + "/" + deviceId, new Device(enabled, Set.copyOf(via)));
    }

    void addCredentials(String tenantId, String authId, String deviceId, String password) {
        credentials.put(tenantId + "/" + authId, new Credentials(deviceId, password));
    }

    void setDeviceEnabled(String tenantId, String deviceId, boolean enabled) {
        devices.computeIfPresent(tenantId + "/" + deviceId, (k, d) -> new Device(enabled, d.via()));
    }

    /**
     * Makes the registration check throw at once (not a failed future), as a bug in the registry client
     * would: the endpoint must refuse the message as its own error and keep serving.
     */
    void setThrowOnRegistrationCheck(boolean throwing) {
        this.throwing = throwing;
    }

    /** Makes every call fail with a non-registry error, as a crashed registry would. */
    void setUnavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    @Override
    public Future<AuthenticatedDevice> authenticate(String tenantId, String authId, String password) {
        if (unavailable) {
            return Future.failedFuture(new IllegalStateException("registry down (test double)"));
        }
        try {
            checkTenant(tenantId);
            Credentials found = credentials.get(tenantId + "/" + authId);
            if (found == null || !found.password().equals(password)) {
                throw new RegistryException(RegistryException.Reason.BAD_CREDENTIALS, "bad credentials for " + authId);
            }
            Device device = devices.get(tenantId + "/" + found.deviceId());
            if (device == null || !device.enabled()) {
                throw new RegistryException(RegistryException.Reason.DEVICE_DISABLED, "device disabled");
            }
            return Future.succeededFuture(new AuthenticatedDevice(tenantId, found.deviceId(), authId));
        } catch (RegistryException e) {
            return Future.failedFuture(e);
        }
    }

    /**
     * Answers the next {@code count} registration checks in reverse order: check {@code n} (from 0)
     * answers after {@code 20 * (count - n)} ms, as a registry under load may (its lookups run concurrently).
     */
    void answerNextRegistrationChecksInReverse(io.vertx.core.Vertx vertx, int count) {
        this.reversingVertx = vertx;
        this.checksToReverse.set(count);
        this.reversedChecks = count;
    }

    @Override
    public Future<Void> assertRegistration(String tenantId, String deviceId, String gatewayId) {
        if (throwing) {
            throw new IllegalStateException("registration check broke (test double)");
        }
        Future<Void> answer = checkRegistration(tenantId, deviceId, gatewayId);
        int remaining = checksToReverse.getAndUpdate(n -> Math.max(0, n - 1));
        if (remaining <= 0) {
            return answer;
        }
        int check = reversedChecks - remaining;
        io.vertx.core.Promise<Void> delayed = io.vertx.core.Promise.promise();
        reversingVertx.setTimer(20L * (reversedChecks - check), timer -> answer.onComplete(delayed));
        return delayed.future();
    }

    private Future<Void> checkRegistration(String tenantId, String deviceId, String gatewayId) {
        if (unavailable) {
            return Future.failedFuture(new IllegalStateException("registry down (test double)"));
        }
        try {
            checkTenant(tenantId);
            Device device = devices.get(tenantId + "/" + deviceId);
            if (device == null) {
                throw new RegistryException(RegistryException.Reason.DEVICE_NOT_FOUND, "no device " + deviceId);
            }
            if (!device.enabled()) {
                throw new RegistryException(RegistryException.Reason.DEVICE_DISABLED, "device disabled " + deviceId);
            }
            if (gatewayId != null && !gatewayId.equals(deviceId) && !device.via().contains(gatewayId)) {
                throw new RegistryException(RegistryException.Reason.GATEWAY_NOT_AUTHORIZED,
                        gatewayId + " may not act for " + deviceId);
            }
            return Future.succeededFuture();
        } catch (RegistryException e) {
            return Future.failedFuture(e);
        }
    }

    private void checkTenant(String tenantId) {
        Boolean enabled = tenants.get(tenantId);
        if (enabled == null) {
            throw new RegistryException(RegistryException.Reason.TENANT_NOT_FOUND, "no tenant " + tenantId);
        }
        if (!enabled) {
            throw new RegistryException(RegistryException.Reason.TENANT_DISABLED, "tenant disabled " + tenantId);
        }
    }
}
