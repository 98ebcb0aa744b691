package io.twinworks.analytics.rul;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

class RulModelWatcherTest {

    @TempDir
    static Path trained;
    static Path modelOne;

    @TempDir
    Path models;
    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<String> handedOver = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void trainOnce() throws Exception {
        modelOne = TinyRulModels.train(trained).directory();
    }

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void anEmptyDirectoryLoadsNothing() throws Exception {
        RulModelWatcher watcher = watcher();
        assertThat(check(watcher)).isFalse();
        assertThat(watcher.current()).isNull();
        assertThat(handedOver).isEmpty();
    }

    @Test
    void aNewModelIsLoadedOnceAndAHigherVersionReplacesIt() throws Exception {
        RulModelWatcher watcher = watcher();
        copy(modelOne, models.resolve("rul-tiny-1"), "1");
        assertThat(check(watcher)).isTrue();
        assertThat(check(watcher)).isFalse();
        copy(modelOne, models.resolve("rul-tiny-2"), "2");
        assertThat(check(watcher)).isTrue();
        assertThat(handedOver).containsExactly("rul-tiny v1", "rul-tiny v2");
        assertThat(watcher.current()).isEqualTo(models.resolve("rul-tiny-2"));
        assertThat(meters.counter("twinworks_analytics_model_reloads_total", "outcome", "loaded").count()).isEqualTo(2.0);
    }

    @Test
    void aBrokenNewerModelIsCountedOnceAndTheRunningOneStays() throws Exception {
        RulModelWatcher watcher = watcher();
        copy(modelOne, models.resolve("rul-tiny-1"), "1");
        check(watcher);
        Path broken = models.resolve("rul-tiny-2");
        copy(modelOne, broken, "2");
        Files.writeString(broken.resolve("model.zip"), "half copied");
        assertThat(check(watcher)).isFalse();
        assertThat(check(watcher)).isFalse();
        assertThat(watcher.current()).isEqualTo(models.resolve("rul-tiny-1"));
        assertThat(meters.counter("twinworks_analytics_model_reloads_total", "outcome", "failed").count()).isEqualTo(1.0);
        assertThat(handedOver).containsExactly("rul-tiny v1");
    }

    private RulModelWatcher watcher() {
        Context context = vertx.getOrCreateContext();
        return new RulModelWatcher(context, models, null, meters,
                estimator -> handedOver.add(estimator.modelName() + " v" + estimator.modelVersion()));
    }

    private boolean check(RulModelWatcher watcher) throws Exception {
        Supplier<Future<Boolean>> check = watcher::checkNow;
        var result = new java.util.concurrent.CompletableFuture<Boolean>();
        vertx.getOrCreateContext().runOnContext(v -> check.get().onComplete(r -> {
            if (r.succeeded()) {
                result.complete(r.result());
            } else {
                result.completeExceptionally(r.cause());
            }
        }));
        return result.get(30, TimeUnit.SECONDS);
    }

    private static void copy(Path from, Path to, String version) throws Exception {
        Files.createDirectories(to);
        Files.copy(from.resolve("model.zip"), to.resolve("model.zip"));
        Files.writeString(to.resolve("model.properties"),
                Files.readString(from.resolve("model.properties")).replaceAll("(?m)^version=.*$", "version=" + version));
    }
}
