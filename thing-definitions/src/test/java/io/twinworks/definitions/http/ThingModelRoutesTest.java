package io.twinworks.definitions.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.twinworks.definitions.HttpThingModelResolver;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ServedThingModels;
import io.twinworks.definitions.ThingModel;
import io.twinworks.definitions.ThingModelCatalog;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code /models/} route: documents under the configured base, media type, caching headers, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThingModelRoutesTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Vertx vertx = Vertx.vertx();
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final AtomicInteger modelRequests = new AtomicInteger();
    private HttpServer server;
    private WebClient client;
    private ModelsBaseUrl base;

    @BeforeAll
    void start() {
        Router router = Router.router(vertx);
        router.route("/models/*").handler(ctx -> {
            modelRequests.incrementAndGet();
            ctx.next();
        });
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath();
        AtomicInteger port = new AtomicInteger();
        // the base is only known once the server listens on its free port, as in the local stack
        new ThingModelRoutes(() -> new ServedThingModels(catalog, ModelsBaseUrl.parse("http://127.0.0.1:" + port.get())),
                metrics).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        port.set(server.actualPort());
        base = ModelsBaseUrl.parse("http://127.0.0.1:" + server.actualPort() + "/");
        client = WebClient.create(vertx);
    }

    @AfterAll
    void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private HttpResponse<Buffer> get(String path, String ifNoneMatch) {
        var request = client.getAbs(base + path);
        if (ifNoneMatch != null) {
            request.putHeader("If-None-Match", ifNoneMatch);
        }
        return request.send().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void servesAModelAsThingModelJsonWithItsIdAndLinksUnderTheBase() throws Exception {
        HttpResponse<Buffer> response = get("/models/centrifugal-pump-1.0.0.tm.jsonld", null);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).isEqualTo("application/tm+json");
        assertThat(response.getHeader("cache-control")).isEqualTo("public, max-age=300");
        assertThat(response.getHeader("etag")).matches("\"[0-9a-f]{32}\"");
        JsonNode model = MAPPER.readTree(response.bodyAsString());
        assertThat(model.path("id").asText()).isEqualTo(base.modelUrl("centrifugal-pump-1.0.0.tm.jsonld"));
        assertThat(model.path("links")).isNotEmpty().allSatisfy(link ->
                assertThat(link.path("href").asText()).startsWith(base.modelsPrefix()));
        assertThat(response.bodyAsString()).doesNotContain(ThingModelCatalog.BASE_URL);
    }

    @Test
    void aMatchingIfNoneMatchAnswersNotModifiedWithoutBody() {
        String etag = get("/models/predictions-1.0.0.tm.jsonld", null).getHeader("etag");

        HttpResponse<Buffer> revalidated = get("/models/predictions-1.0.0.tm.jsonld", "\"other\", W/" + etag);

        assertThat(revalidated.statusCode()).isEqualTo(304);
        assertThat(revalidated.body()).isNull();
        assertThat(revalidated.getHeader("etag")).isEqualTo(etag);
    }

    @Test
    void aStaleIfNoneMatchGetsTheWholeModel() {
        HttpResponse<Buffer> response = get("/models/predictions-1.0.0.tm.jsonld", "\"0123\"");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyAsString()).contains("anomalyScore");
    }

    @Test
    void anUnknownModelAnswersNotFoundInTheDittoErrorShapeAndIsCounted() {
        double before = metrics.counter("twinworks.models.http.requests", "status", "404").count();

        HttpResponse<Buffer> response = get("/models/coffee-machine-1.0.0.tm.jsonld", null);

        assertThat(response.statusCode()).isEqualTo(404);
        JsonObject error = response.bodyAsJsonObject();
        assertThat(error.getInteger("status")).isEqualTo(404);
        assertThat(error.getString("error")).isEqualTo("models:model.notfound");
        assertThat(error.getString("message")).contains("coffee-machine-1.0.0.tm.jsonld");
        assertThat(error.getString("description")).isNotBlank();
        assertThat(metrics.counter("twinworks.models.http.requests", "status", "404").count()).isEqualTo(before + 1);
    }

    @Test
    void aTraversalAttemptFindsNoModel() {
        assertThat(get("/models/..%2Fpom.xml", null).statusCode()).isEqualTo(404);
        assertThat(get("/models/catalog.json", null).statusCode()).isEqualTo(404);
    }

    @Test
    void headAnswersTheHeadersWithoutBody() {
        HttpResponse<Buffer> response = client.headAbs(base.modelUrl("drive-1.0.0.tm.jsonld")).send()
                .toCompletionStage().toCompletableFuture().join();

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.getHeader("content-type")).isEqualTo("application/tm+json");
        assertThat(Integer.parseInt(response.getHeader("content-length"))).isPositive();
        assertThat(response.body()).isNull();
    }

    @Test
    void theHttpResolverDownloadsServedModelsOnceAndRevalidatesWithTheEtagAfterMaxAge() throws Exception {
        MutableClock clock = new MutableClock();
        HttpThingModelResolver resolver = new HttpThingModelResolver(Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofSeconds(10), clock);
        String url = base.modelUrl("vibration-sensor-1.0.0.tm.jsonld");
        int requestsBefore = modelRequests.get();

        Optional<ThingModel> first = resolver.resolve(url);
        Optional<ThingModel> cached = resolver.resolve(url);
        clock.advance(Duration.ofSeconds(301));
        double notModifiedBefore = metrics.counter("twinworks.models.http.requests", "status", "304").count();
        Optional<ThingModel> revalidated = resolver.resolve(url);

        assertThat(first).map(ThingModel::id).contains(url);
        assertThat(first.get().properties()).containsKey("rms");
        assertThat(cached).isEqualTo(first);
        assertThat(revalidated).isEqualTo(first);
        assertThat(modelRequests.get() - requestsBefore).isEqualTo(2);
        assertThat(metrics.counter("twinworks.models.http.requests", "status", "304").count()).isEqualTo(notModifiedBefore + 1);
        assertThat(resolver.downloads()).isEqualTo(2);
        assertThat(resolver.failures()).isZero();
    }

    @Test
    void theHttpResolverRemembersAMissingModelForTheFailureTtlOnly() {
        MutableClock clock = new MutableClock();
        HttpThingModelResolver resolver = new HttpThingModelResolver(Duration.ofSeconds(5), Duration.ofMinutes(5),
                Duration.ofSeconds(10), clock);
        String url = base.modelUrl("coffee-machine-1.0.0.tm.jsonld");

        assertThat(resolver.resolve(url)).isEmpty();
        assertThat(resolver.resolve(url)).isEmpty();
        assertThat(resolver.downloads()).isEqualTo(1);
        clock.advance(Duration.ofSeconds(11));
        assertThat(resolver.resolve(url)).isEmpty();
        assertThat(resolver.downloads()).isEqualTo(2);
        assertThat(resolver.failures()).isEqualTo(2);
    }

    @Test
    void theHttpResolverIgnoresWhatIsNoHttpUrlWithoutNetwork() {
        HttpThingModelResolver resolver = HttpThingModelResolver.withDefaults();

        assertThat(resolver.resolve("centrifugal-pump")).isEmpty();
        assertThat(resolver.resolve("file:///etc/passwd")).isEmpty();
        assertThat(resolver.resolve("not a url")).isEmpty();
        assertThat(resolver.resolve(null)).isEmpty();
        assertThat(resolver.downloads()).isZero();
    }

    @Test
    void theHttpResolverCountsARefusedConnectionAsAFailure() {
        HttpThingModelResolver resolver = HttpThingModelResolver.withDefaults();
        // port 1 on loopback: nothing listens there
        assertThat(resolver.resolve("http://127.0.0.1:1/models/x-1.0.0.tm.jsonld")).isEmpty();
        assertThat(resolver.failures()).isEqualTo(1);
    }

    private static final class MutableClock extends Clock {
        private java.time.Instant now = java.time.Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }
}
