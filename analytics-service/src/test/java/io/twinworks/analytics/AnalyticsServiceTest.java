package io.twinworks.analytics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnalyticsServiceTest {

    @TempDir
    Path models;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void startFailsNamingTheModelWhenTheOnlyModelCannotBeLoaded() throws Exception {
        Path broken = Files.createDirectories(models.resolve("rul-cmapss-1"));
        Files.writeString(broken.resolve("model.properties"), "name=rul-cmapss\nversion=1\n");
        Files.writeString(broken.resolve("model.zip"), "not a zip");
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("TWINWORKS_ANALYTICS_DITTO_ENDPOINT", "ws://127.0.0.1:1"))
                .withModelDir(models).withHttpPort(0);
        AnalyticsService service = new AnalyticsService(vertx, config, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        assertThatThrownBy(() -> service.start().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasMessageContaining("rul-cmapss-1 cannot be loaded");
    }
}
