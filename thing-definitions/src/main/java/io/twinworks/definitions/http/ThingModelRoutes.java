package io.twinworks.definitions.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.core.http.ErrorResponse;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ServedThingModels;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Serves the shipped Thing Models where Ditto can download them: {@code GET|HEAD /models/<name>-<version>.tm.jsonld}
 * answers the model (ids and links under the configured base), content type {@code application/tm+json},
 * a strong {@code ETag}, {@code Cache-Control: public, max-age=300}, and 304 for a matching {@code If-None-Match}.
 * An unknown file answers 404 {@code models:model.notfound} in the Ditto error shape; every answer is counted
 * ({@code twinworks.models.http.requests} by status).
 */
public final class ThingModelRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ThingModelRoutes.class);
    /** How long clients may use a model without asking again; a model file never changes within a version. */
    static final String CACHE_CONTROL = "public, max-age=300";

    private final Supplier<ServedThingModels> models;
    private final MeterRegistry metrics;

    /**
     * @param models  the documents to serve; a supplier because the base may only be known once the server listens
     *                (a free port), it is asked on every request and must be cheap
     * @param metrics where the requests are counted
     */
    public ThingModelRoutes(Supplier<ServedThingModels> models, MeterRegistry metrics) {
        this.models = Objects.requireNonNull(models, "models");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Adds {@code GET} and {@code HEAD} on {@code /models/:file} to the router. */
    public void mount(Router router) {
        String path = ModelsBaseUrl.MODELS_PATH + ":file";
        router.route(HttpMethod.GET, path).handler(this::serve);
        router.route(HttpMethod.HEAD, path).handler(this::serve);
    }

    private void serve(RoutingContext ctx) {
        String fileName = ctx.pathParam("file");
        Optional<ServedThingModels.Document> document = models.get().document(fileName);
        if (document.isEmpty()) {
            count(404);
            LOG.info("GET /models/{}: no such Thing Model", fileName);
            new ErrorResponse(404, "models:model.notfound", "The Thing Model <" + fileName + "> does not exist.",
                    "Models are served as <name>-<version>.tm.jsonld, e.g. centrifugal-pump-1.0.0.tm.jsonld.").send(ctx);
            return;
        }
        String etag = document.get().etag();
        ctx.response().putHeader(HttpHeaders.ETAG, etag).putHeader(HttpHeaders.CACHE_CONTROL, CACHE_CONTROL);
        if (matches(ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH), etag)) {
            count(304);
            ctx.response().setStatusCode(304).end();
            return;
        }
        count(200);
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, ServedThingModels.CONTENT_TYPE);
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().putHeader(HttpHeaders.CONTENT_LENGTH, String.valueOf(document.get().body().length)).end();
        } else {
            ctx.response().end(Buffer.buffer(document.get().body()));
        }
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        // weak comparison, as RFC 9110 prescribes for If-None-Match
        return Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
                .map(tag -> tag.startsWith("W/") ? tag.substring(2) : tag)
                .anyMatch(tag -> tag.equals("*") || tag.equals(etag));
    }

    private void count(int status) {
        metrics.counter("twinworks.models.http.requests", "status", String.valueOf(status)).increment();
    }
}
