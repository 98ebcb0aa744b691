package io.twinworks.core.ops;

import io.vertx.core.json.JsonObject;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The checks a service's components register: <em>liveness</em> (the process works; failing it makes
 * Kubernetes restart the pod) and <em>readiness</em> (it can do its job now: its Ditto WebSocket is
 * connected, its Kafka consumer has partitions, its outbox is writable...; failing it takes the pod
 * out of service until it recovers). Readiness includes liveness. Thread-safe.
 */
public final class HealthChecks {

    private final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
    private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();

    /** Registers (or replaces) a liveness check. */
    public synchronized HealthChecks live(String name, HealthCheck check) {
        liveness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    /** Registers (or replaces) a readiness check. */
    public synchronized HealthChecks ready(String name, HealthCheck check) {
        readiness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    /** Removes a readiness check (a component that stopped). */
    public synchronized void removeReady(String name) {
        readiness.remove(name);
    }

    /** Evaluates the liveness checks. */
    public Report liveness() {
        return evaluate(false);
    }

    /** Evaluates the liveness and readiness checks. */
    public Report readiness() {
        return evaluate(true);
    }

    private Report evaluate(boolean withReadiness) {
        Map<String, HealthCheck> checks;
        synchronized (this) {
            checks = new LinkedHashMap<>(liveness);
            if (withReadiness) {
                checks.putAll(readiness);
            }
        }
        Map<String, HealthCheck.Result> results = new LinkedHashMap<>();
        checks.forEach((name, check) -> results.put(name, safely(check)));
        return new Report(results);
    }

    private static HealthCheck.Result safely(HealthCheck check) {
        try {
            HealthCheck.Result result = check.check();
            return result == null ? HealthCheck.Result.down("the check gave no result") : result;
        } catch (RuntimeException e) {
            return HealthCheck.Result.down("the check failed: " + e);
        }
    }

    /** The results of one evaluation, by check name; UP when every check is up. */
    public record Report(Map<String, HealthCheck.Result> checks) {

        /** Whether every check is up. */
        public boolean up() {
            return checks.values().stream().allMatch(HealthCheck.Result::up);
        }

        /** {@code {"status":"UP"|"DOWN","down":[names],"checks":{name:{"status":..,"detail":..}}}}. */
        public JsonObject toJson() {
            JsonObject details = new JsonObject();
            io.vertx.core.json.JsonArray down = new io.vertx.core.json.JsonArray();
            checks.forEach((name, result) -> {
                details.put(name, new JsonObject().put("status", result.up() ? "UP" : "DOWN")
                        .put("detail", result.detail()));
                if (!result.up()) {
                    down.add(name);
                }
            });
            return new JsonObject().put("status", up() ? "UP" : "DOWN").put("down", down).put("checks", details);
        }
    }
}
