package io.twinworks.dashboard;

import io.twinworks.core.http.ErrorResponse;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Forwards the page's {@code /api/2/...} requests to Ditto unchanged — method, path, query, body and the
 * browser user's own {@code Authorization} header — and streams the answer back, server-sent events
 * included. The dashboard holds no Ditto credentials of its own: Ditto authenticates each user and
 * applies its policies per user, exactly as if the browser talked to Ditto directly (the proxy only
 * spares the page Ditto's CORS settings).
 *
 * <p>Ditto unreachable: 502 {@code dashboard:ditto.unreachable} in the shared {@link ErrorResponse}
 * shape; a path outside {@code /api/2/}: 404. A browser that goes away closes its Ditto connection too,
 * so an abandoned event stream does not stay open at Ditto.
 */
public final class DittoProxy implements Handler<RoutingContext> {

    private static final Logger LOG = LoggerFactory.getLogger(DittoProxy.class);
    static final String API_PREFIX = "/api/2/";
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and what identifies the dashboard rather than the user. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "cookie", "set-cookie",
            "origin", "referer");

    private final HttpClient client;
    private final URI dittoUrl;
    private final String pathPrefix;
    private final AtomicLong failures = new AtomicLong();
    private final AtomicInteger openEventStreams = new AtomicInteger();

    /** @param vertx for the HTTP client; @param config where Ditto is and how many connections it may get */
    public DittoProxy(Vertx vertx, DashboardConfig config) {
        Objects.requireNonNull(config, "config");
        this.dittoUrl = config.dittoUrl();
        String path = dittoUrl.getRawPath() == null ? "" : dittoUrl.getRawPath();
        this.pathPrefix = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        this.client = vertx.createHttpClient(new HttpClientOptions()
                        .setConnectTimeout(config.connectTimeoutMillis())
                        .setSsl("https".equals(dittoUrl.getScheme()))
                        .setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(config.maxDittoConnections()));
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        request.pause();    // the body (if any) is streamed to Ditto once the connection is there
        String path = ctx.normalizedPath();
        if (!path.startsWith(API_PREFIX)) {
            new ErrorResponse(404, "dashboard:path.notfound", "The path '" + path + "' is not proxied to Ditto.",
                    "Only the Ditto HTTP API below " + API_PREFIX + " is forwarded.").send(ctx);
            return;
        }
        String query = request.query();
        String target = pathPrefix + path + (query == null ? "" : "?" + query);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(dittoUrl.getHost())
                .setPort(port(dittoUrl))
                .setSsl("https".equals(dittoUrl.getScheme()))
                .setURI(target);
        copyHeaders(request.headers(), options.getHeaders() == null ? setHeaders(options) : options.getHeaders());
        HttpServerResponse response = ctx.response();
        client.request(options)
                .compose(upstream -> {
                    // the browser closing (e.g. leaving a page with an open event stream) closes the Ditto request
                    response.closeHandler(closed -> upstream.reset());
                    return hasBody(request) ? upstream.send(request) : upstream.send();
                })
                .onSuccess(upstream -> relay(upstream, response))
                .onFailure(failure -> unreachable(ctx, target, failure));
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader("content-length");
        return request.getHeader("transfer-encoding") != null || (length != null && !"0".equals(length.trim()));
    }

    private static MultiMap setHeaders(RequestOptions options) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        options.setHeaders(headers);
        return headers;
    }

    private static void copyHeaders(MultiMap from, MultiMap to) {
        from.forEach(header -> {
            if (!NOT_FORWARDED.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        });
    }

    private void relay(HttpClientResponse upstream, HttpServerResponse response) {
        if (response.closed()) {
            upstream.request().reset();
            return;
        }
        response.setStatusCode(upstream.statusCode()).setStatusMessage(upstream.statusMessage());
        copyHeaders(upstream.headers(), response.headers());
        // the page has its own sign-in form: a Basic challenge would make the browser pop up its own dialog
        response.headers().remove("www-authenticate");
        if (!response.headers().contains("content-length")) {
            response.setChunked(true);
        }
        String contentType = upstream.getHeader("content-type");
        if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            // no buffering anywhere on the way: every event is written as it comes
            response.putHeader("Cache-Control", "no-cache").putHeader("X-Accel-Buffering", "no");
            countOpenUntilClosed(upstream, response);
        }
        // relayed by hand rather than piped: chunks already on their way when the browser leaves are dropped
        upstream.handler(chunk -> {
            if (response.closed() || response.ended()) {
                return;
            }
            response.write(chunk);
            if (response.writeQueueFull()) {
                upstream.pause();
                response.drainHandler(drained -> upstream.resume());
            }
        });
        upstream.endHandler(end -> {
            if (!response.closed() && !response.ended()) {
                response.end();
            }
        });
        upstream.exceptionHandler(failure -> {
            LOG.debug("relay from Ditto ended: {}", failure.toString());
            if (!response.closed() && !response.ended()) {
                response.reset();
            }
        });
    }

    /**
     * Counts an event stream as open until its browser response ends or is closed, whichever comes first.
     * The close handler replaces the one set in {@link #handle}, so it resets the Ditto request too.
     */
    private void countOpenUntilClosed(HttpClientResponse upstream, HttpServerResponse response) {
        openEventStreams.incrementAndGet();
        AtomicBoolean counted = new AtomicBoolean(true);
        Handler<Void> uncount = ignored -> {
            if (counted.compareAndSet(true, false)) {
                openEventStreams.decrementAndGet();
            }
        };
        response.endHandler(uncount);
        response.closeHandler(closed -> {
            upstream.request().reset();
            uncount.handle(null);
        });
    }

    private void unreachable(RoutingContext ctx, String target, Throwable failure) {
        if (ctx.response().closed()) {
            LOG.debug("{} {}: the browser left before Ditto answered", ctx.request().method(), target);
            return;
        }
        failures.incrementAndGet();
        LOG.warn("{} {}{}: Ditto did not answer: {}", ctx.request().method(), dittoUrl, target, failure.toString());
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        new ErrorResponse(502, "dashboard:ditto.unreachable",
                "Ditto at " + dittoUrl + " could not be reached: " + failure.getMessage(),
                "Check that Ditto runs and that TWINWORKS_DASHBOARD_DITTO_URL points at it.").send(ctx);
    }

    private static int port(URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return "https".equals(url.getScheme()) ? 443 : 80;
    }

    /** How many requests could not be forwarded because Ditto did not answer. */
    public long failures() {
        return failures.get();
    }

    /** How many Ditto event streams are being relayed to browsers now. */
    public int openEventStreams() {
        return openEventStreams.get();
    }

    /** Closes the connections to Ditto. */
    public void close() {
        client.close();
    }
}
