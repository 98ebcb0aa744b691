package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a definition by downloading the Thing Model from its URL, as real Ditto does (its WoT integration
 * fetches a thing's model to build skeletons and to validate changes): {@code GET} with
 * {@code Accept: application/tm+json}, cached for the response's {@code Cache-Control: max-age} (else
 * {@code defaultTtl}) and then revalidated with {@code If-None-Match}. Anything that is not an {@code http(s)} URL,
 * not reachable, not 200 or not a JSON object resolves to empty (logged, counted in {@link #failures()}, and
 * remembered for {@code failureTtl} so a missing model is not downloaded again with every change).
 *
 * <p>Thread-safe. {@link #resolve} blocks on the network when the cache has no fresh entry: call it from a
 * worker thread of its own, never from an event loop.
 */
public final class HttpThingModelResolver implements ThingModelResolver {

    private static final Logger LOG = LoggerFactory.getLogger(HttpThingModelResolver.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern MAX_AGE = Pattern.compile("(?:^|,)\\s*max-age\\s*=\\s*(\\d+)", Pattern.CASE_INSENSITIVE);
    /** Distinct definitions remembered parsed before starting over (things name few models; the bound guards against junk). */
    private static final int MAX_REMEMBERED_DEFINITIONS = 10_000;
    private static final Pattern NO_CACHE = Pattern.compile("(?:^|,)\\s*(no-cache|no-store)", Pattern.CASE_INSENSITIVE);

    private final HttpClient client;
    private final Duration requestTimeout;
    private final Duration defaultTtl;
    private final Duration failureTtl;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    /** Definitions already parsed to their model URL (none: not an http(s) URL): parsing a URI per change cost more than the cache lookup. */
    private final Map<String, Optional<URI>> modelUris = new ConcurrentHashMap<>();
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    private record Entry(Optional<ThingModel> model, String etag, Instant freshUntil) {
    }

    /**
     * @param requestTimeout how long one download may take (connect included)
     * @param defaultTtl     how long a model without {@code max-age} stays fresh
     * @param failureTtl     how long a failed download is remembered before it is tried again
     * @param clock          the time source of the cache
     */
    public HttpThingModelResolver(Duration requestTimeout, Duration defaultTtl, Duration failureTtl, Clock clock) {
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.defaultTtl = Objects.requireNonNull(defaultTtl, "defaultTtl");
        this.failureTtl = Objects.requireNonNull(failureTtl, "failureTtl");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.client = HttpClient.newBuilder().connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /**
     * With a 5 s timeout, models fresh for 5 minutes without {@code max-age}, failures retried after 60 s (a download
     * that times out holds its caller up to 5 s: not more often than once a minute per missing model).
     */
    public static HttpThingModelResolver withDefaults() {
        return new HttpThingModelResolver(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofSeconds(60),
                Clock.systemUTC());
    }

    @Override
    public Optional<ThingModel> resolve(String definition) {
        if (definition == null) {
            return Optional.empty();
        }
        Optional<URI> modelUri = modelUris.get(definition);
        if (modelUri == null) {
            if (modelUris.size() >= MAX_REMEMBERED_DEFINITIONS) {
                modelUris.clear();
            }
            modelUri = Optional.ofNullable(modelUri(definition));
            modelUris.put(definition, modelUri);
        }
        if (modelUri.isEmpty()) {
            return Optional.empty();
        }
        URI uri = modelUri.get();
        String url = uri.toString();
        Instant now = clock.instant();
        Entry cached = cache.get(url);
        if (cached != null && now.isBefore(cached.freshUntil())) {
            return cached.model();
        }
        Entry fetched = download(uri, cached, now);
        cache.put(url, fetched);
        return fetched.model();
    }

    /** How many model downloads were made (revalidations included). */
    public long downloads() {
        return downloads.get();
    }

    /** How many downloads did not give a model. */
    public long failures() {
        return failures.get();
    }

    private static URI modelUri(String definition) {
        int fragment = definition.indexOf('#');
        try {
            URI uri = new URI(fragment < 0 ? definition : definition.substring(0, fragment));
            boolean http = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
            return http && uri.getHost() != null ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private Entry download(URI uri, Entry cached, Instant now) {
        downloads.incrementAndGet();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET()
                .header("Accept", ServedThingModels.CONTENT_TYPE + ", application/json;q=0.9");
        boolean revalidating = cached != null && cached.model().isPresent() && cached.etag() != null;
        if (revalidating) {
            request.header("If-None-Match", cached.etag());
        }
        try {
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            Instant freshUntil = now.plus(ttl(response));
            if (response.statusCode() == 304 && revalidating) {
                return new Entry(cached.model(), cached.etag(), freshUntil);
            }
            if (response.statusCode() != 200) {
                return failed(uri, "HTTP status " + response.statusCode(), now);
            }
            JsonNode json = MAPPER.readTree(response.body());
            if (!(json instanceof ObjectNode object)) {
                return failed(uri, "the body is not a JSON object", now);
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String fileName = path.substring(path.lastIndexOf('/') + 1);
            String id = object.path("id").isTextual() ? object.path("id").asText() : uri.toString();
            ThingModel model = new ThingModel(id, fileName, object);
            return new Entry(Optional.of(model), response.headers().firstValue("ETag").orElse(null), freshUntil);
        } catch (IOException e) {
            return failed(uri, e.toString(), now);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(uri, "interrupted", now);
        }
    }

    private Duration ttl(HttpResponse<?> response) {
        String cacheControl = String.join(",", response.headers().allValues("Cache-Control"));
        if (NO_CACHE.matcher(cacheControl).find()) {
            return Duration.ZERO;
        }
        Matcher maxAge = MAX_AGE.matcher(cacheControl);
        return maxAge.find() ? Duration.ofSeconds(Long.parseLong(maxAge.group(1))) : defaultTtl;
    }

    private Entry failed(URI uri, String why, Instant now) {
        failures.incrementAndGet();
        LOG.warn("Thing Model {} could not be downloaded ({}): things naming it are not validated; retry in {}",
                uri, why, failureTtl);
        return new Entry(Optional.empty(), null, now.plus(failureTtl));
    }
}
