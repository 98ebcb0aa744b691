package io.twinworks.localstack.hono.registry;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.localstack.hono.registry.crypto.PasswordHashing;
import io.twinworks.localstack.hono.registry.store.RegistryStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Opens real registries on temporary state directories and waits for futures on the test thread. */
public final class RegistryTestSupport {

    /** The lowest BCrypt cost Spring accepts: keeps tests fast; the latency test uses Hono's 10. */
    public static final int FAST_BCRYPT_COST = 4;

    private RegistryTestSupport() {
    }

    /** A registry with its own store in {@code stateDir}. */
    public static HonoDeviceRegistry openRegistry(Vertx vertx, Path stateDir, int bcryptCost, PrometheusMeterRegistry meters) {
        RegistryStore store = await(RegistryStore.open(vertx, stateDir));
        return new HonoDeviceRegistry(vertx, store, new PasswordHashing(bcryptCost), Clock.systemUTC(), meters);
    }

    /** A fresh Prometheus registry. */
    public static PrometheusMeterRegistry meters() {
        return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    /** Waits for a future (on the JUnit thread, never an event loop) and returns its result or throws its failure. */
    public static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The failure of a future that must fail. */
    public static Throwable awaitFailure(Future<?> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException(e);
        }
        throw new AssertionError("expected the future to fail, but it succeeded");
    }
}
