package io.twinworks.localstack.hono.registry.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.twinworks.core.http.ErrorResponse;
import io.twinworks.core.http.HttpErrorLogLevel;
import io.twinworks.localstack.hono.registry.HonoDeviceRegistry;
import io.twinworks.localstack.hono.registry.json.InvalidResourceException;
import io.twinworks.localstack.hono.registry.json.RegistryJsonCodec;
import io.twinworks.localstack.hono.registry.model.Device;
import io.twinworks.localstack.hono.registry.store.RegistryStoreException;
import io.twinworks.localstack.hono.registry.store.StoredResource;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Hono's device-registry management HTTP API ({@code device-registry-v1.yaml}) over the local
 * stack's registry: {@code /v1/tenants}, {@code /v1/devices}, {@code /v1/credentials} with Hono's
 * status codes, {@code ETag}/{@code If-Match} resource versions and {@code Location} headers.
 * Errors use the one Twinworks error shape ({@link ErrorResponse}); Hono clients reading only
 * {@code error} keep working.
 *
 * <p>Mount it on any router with {@link #addRoutes(Router)}, or use {@link #createRouter}. Every
 * answer is counted in {@code hono_registry_requests_total{method,status}}; every error answer is
 * logged in one line (without the request body, which may hold passwords).
 */
public final class DeviceRegistryManagementApi {

    /** Hono's default {@code hono.registry.http.maxPayloadSize}. */
    public static final int DEFAULT_MAX_BODY_BYTES = 16_000;

    private static final Logger LOG = LoggerFactory.getLogger(DeviceRegistryManagementApi.class);
    private static final String JSON = "application/json";
    /** Hono's default ID patterns ({@code RegistryManagementConstants}). */
    private static final Pattern TENANT_ID = Pattern.compile("^[a-zA-Z0-9-_\\.]+$");
    private static final Pattern DEVICE_ID = Pattern.compile("^[a-zA-Z0-9-_\\.:=]+$");

    private final HonoDeviceRegistry registry;
    private final MeterRegistry meters;
    private final int maxBodyBytes;

    /**
     * Creates the API.
     *
     * @param registry     the registry to manage
     * @param meters       receives the request counter
     * @param maxBodyBytes the largest request body accepted; larger ones are answered with 413
     */
    public DeviceRegistryManagementApi(HonoDeviceRegistry registry, MeterRegistry meters, int maxBodyBytes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.meters = Objects.requireNonNull(meters, "meters");
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes must be positive");
        }
        this.maxBodyBytes = maxBodyBytes;
    }

    /** A new router with only this API's routes. */
    public Router createRouter(io.vertx.core.Vertx vertx) {
        Router router = Router.router(vertx);
        addRoutes(router);
        return router;
    }

    /** Adds the API's routes (all under {@code /v1/}) to a router. */
    public void addRoutes(Router router) {
        router.route("/v1/*").handler(this::countWhenAnswered);
        router.route("/v1/*").failureHandler(this::handleFailure);
        BodyHandler body = BodyHandler.create(false).setBodyLimit(maxBodyBytes);

        router.post("/v1/tenants").handler(body).handler(ctx -> createTenant(ctx, null));
        router.get("/v1/tenants").handler(this::searchTenants);
        router.post("/v1/tenants/:tenantId").handler(body).handler(ctx -> createTenant(ctx, tenantParam(ctx)));
        router.get("/v1/tenants/:tenantId").handler(this::readTenant);
        router.put("/v1/tenants/:tenantId").handler(body).handler(this::updateTenant);
        router.delete("/v1/tenants/:tenantId").handler(this::deleteTenant);

        router.post("/v1/devices/:tenantId").handler(body).handler(ctx -> createDevice(ctx, null));
        router.get("/v1/devices/:tenantId").handler(this::searchDevices);
        router.delete("/v1/devices/:tenantId").handler(this::deleteDevicesOfTenant);
        router.post("/v1/devices/:tenantId/:deviceId").handler(body).handler(ctx -> createDevice(ctx, deviceParam(ctx)));
        router.get("/v1/devices/:tenantId/:deviceId").handler(this::readDevice);
        router.put("/v1/devices/:tenantId/:deviceId").handler(body).handler(this::updateDevice);
        router.delete("/v1/devices/:tenantId/:deviceId").handler(this::deleteDevice);

        router.get("/v1/credentials/:tenantId/:deviceId").handler(this::readCredentials);
        router.put("/v1/credentials/:tenantId/:deviceId").handler(body).handler(this::updateCredentials);

        for (String path : List.of("/v1/tenants", "/v1/tenants/:tenantId", "/v1/devices/:tenantId",
                "/v1/devices/:tenantId/:deviceId", "/v1/credentials/:tenantId/:deviceId")) {
            router.route(path).handler(ctx -> send(ctx, new ErrorResponse(405, "registry:method.notallowed",
                    "method " + ctx.request().method() + " is not allowed on " + ctx.normalizedPath(), null)));
        }
    }

    // ------------------------------------------------------------------ tenants

    private void createTenant(RoutingContext ctx, String tenantId) {
        run(ctx, () -> registry.store().createTenant(tenantId, RegistryJsonCodec.parseTenant(optionalJsonObject(ctx)))
                .onSuccess(stored -> created(ctx, "/v1/tenants/" + stored.id(), stored)));
    }

    private void readTenant(RoutingContext ctx) {
        run(ctx, () -> registry.store().readTenant(tenantParam(ctx))
                .onSuccess(stored -> ok(ctx, stored.version(), RegistryJsonCodec.tenantToJson(stored.value()))));
    }

    private void updateTenant(RoutingContext ctx) {
        run(ctx, () -> registry.store().updateTenant(tenantParam(ctx),
                        RegistryJsonCodec.parseTenant(requiredJsonObject(ctx)), ifMatch(ctx))
                .onSuccess(stored -> noContent(ctx, stored.version())));
    }

    private void deleteTenant(RoutingContext ctx) {
        run(ctx, () -> registry.store().deleteTenant(tenantParam(ctx), ifMatch(ctx))
                .onSuccess(v -> noContent(ctx, null)));
    }

    private void searchTenants(RoutingContext ctx) {
        run(ctx, () -> {
            SearchQuery query = SearchQuery.from(ctx.queryParams());
            return registry.store().listTenants().onSuccess(tenants -> searchResult(ctx, query,
                    tenants.stream().map(t -> RegistryJsonCodec.tenantToJson(t.value()).put("id", t.id())).toList(),
                    "tenants"));
        });
    }

    // ------------------------------------------------------------------ devices

    private void createDevice(RoutingContext ctx, String deviceId) {
        run(ctx, () -> {
            String tenantId = tenantParam(ctx);
            return registry.store().createDevice(tenantId, deviceId, RegistryJsonCodec.parseDevice(optionalJsonObject(ctx)))
                    .onSuccess(stored -> created(ctx, "/v1/devices/" + tenantId + "/" + stored.id(), stored));
        });
    }

    private void readDevice(RoutingContext ctx) {
        run(ctx, () -> registry.store().readDevice(tenantParam(ctx), deviceParam(ctx))
                .onSuccess(stored -> ok(ctx, stored.version(), deviceJson(stored))));
    }

    private void updateDevice(RoutingContext ctx) {
        run(ctx, () -> registry.store().updateDevice(tenantParam(ctx), deviceParam(ctx),
                        RegistryJsonCodec.parseDevice(requiredJsonObject(ctx)), ifMatch(ctx))
                .onSuccess(stored -> noContent(ctx, stored.version())));
    }

    private void deleteDevice(RoutingContext ctx) {
        run(ctx, () -> registry.store().deleteDevice(tenantParam(ctx), deviceParam(ctx), ifMatch(ctx))
                .onSuccess(v -> noContent(ctx, null)));
    }

    private void deleteDevicesOfTenant(RoutingContext ctx) {
        run(ctx, () -> registry.store().deleteDevicesOfTenant(tenantParam(ctx)).onSuccess(v -> noContent(ctx, null)));
    }

    private void searchDevices(RoutingContext ctx) {
        run(ctx, () -> {
            String tenantId = tenantParam(ctx);
            SearchQuery query = SearchQuery.from(ctx.queryParams());
            Optional<Boolean> isGateway = booleanParam(ctx, "isGateway");
            return registry.store().listDevices(tenantId).onSuccess(devices -> {
                Set<String> gateways = gatewayIds(devices);
                List<JsonObject> candidates = devices.stream()
                        .filter(d -> isGateway.isEmpty() || isGateway.get() == gateways.contains(d.id()))
                        .map(this::deviceJson)
                        .toList();
                searchResult(ctx, query, candidates, "devices of tenant '" + tenantId + "'");
            });
        });
    }

    /** Gateways: devices named in another device's {@code via}, or members of a gateway group. */
    private static Set<String> gatewayIds(List<StoredResource<Device>> devices) {
        Set<String> gateways = new HashSet<>();
        for (StoredResource<Device> device : devices) {
            gateways.addAll(device.value().via());
            if (device.value().isGroupMember()) {
                gateways.add(device.id());
            }
        }
        return gateways;
    }

    private JsonObject deviceJson(StoredResource<Device> stored) {
        return RegistryJsonCodec.deviceToJson(stored.value(), stored.created(), stored.updated()).put("id", stored.id());
    }

    // ------------------------------------------------------------------ credentials

    private void readCredentials(RoutingContext ctx) {
        run(ctx, () -> registry.credentials().read(tenantParam(ctx), deviceParam(ctx))
                .onSuccess(stored -> {
                    JsonArray body = RegistryJsonCodec.credentialsToJson(stored.value(), false);
                    ctx.response().setStatusCode(200).putHeader(HttpHeaders.ETAG, stored.version())
                            .putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
                }));
    }

    private void updateCredentials(RoutingContext ctx) {
        run(ctx, () -> registry.credentials().replace(tenantParam(ctx), deviceParam(ctx),
                        RegistryJsonCodec.parseCredentials(requiredJsonArray(ctx)), ifMatch(ctx))
                .onSuccess(stored -> noContent(ctx, stored.version())));
    }

    // ------------------------------------------------------------------ request helpers

    private static String tenantParam(RoutingContext ctx) {
        return idParam(ctx, "tenantId", TENANT_ID);
    }

    private static String deviceParam(RoutingContext ctx) {
        return idParam(ctx, "deviceId", DEVICE_ID);
    }

    private static String idParam(RoutingContext ctx, String name, Pattern pattern) {
        String value = ctx.pathParam(name);
        if (value == null || !pattern.matcher(value).matches()) {
            throw new InvalidParameterException("'" + name + "' must match " + pattern.pattern());
        }
        return value;
    }

    private static Optional<Boolean> booleanParam(RoutingContext ctx, String name) {
        String value = ctx.queryParams().get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!"true".equals(value) && !"false".equals(value)) {
            throw new InvalidParameterException("'" + name + "' must be true or false");
        }
        return Optional.of(Boolean.parseBoolean(value));
    }

    /** The {@code If-Match} version; quotes (strong ETag syntax) are accepted, {@code *} means any version. */
    private static Optional<String> ifMatch(RoutingContext ctx) {
        String header = ctx.request().getHeader(HttpHeaders.IF_MATCH);
        if (header == null || header.isBlank() || header.trim().equals("*")) {
            return Optional.empty();
        }
        String version = header.trim();
        if (version.startsWith("W/")) {
            version = version.substring(2);
        }
        if (version.length() >= 2 && version.startsWith("\"") && version.endsWith("\"")) {
            version = version.substring(1, version.length() - 1);
        }
        return Optional.of(version);
    }

    /** The body as JSON object, or {@code null} when empty (Hono's create operations accept no body). */
    private static JsonObject optionalJsonObject(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() <= 0) {
            return null;
        }
        return requiredJsonObject(ctx);
    }

    private static JsonObject requiredJsonObject(RoutingContext ctx) {
        Object json = requiredJson(ctx);
        if (!(json instanceof JsonObject object)) {
            throw new InvalidResourceException("the body must be a JSON object");
        }
        return object;
    }

    private static JsonArray requiredJsonArray(RoutingContext ctx) {
        Object json = requiredJson(ctx);
        if (!(json instanceof JsonArray array)) {
            throw new InvalidResourceException("the body must be a JSON array of credentials");
        }
        return array;
    }

    private static Object requiredJson(RoutingContext ctx) {
        MIMEHeader contentType = ctx.parsedHeaders().contentType();
        if (contentType == null) {
            throw new InvalidResourceException("missing Content-Type header (application/json)");
        }
        if (!JSON.equalsIgnoreCase(contentType.value())) {
            throw new InvalidResourceException("unsupported Content-Type '" + contentType.value() + "' (application/json)");
        }
        if (ctx.body() == null || ctx.body().length() <= 0) {
            throw new InvalidResourceException("the request body is empty");
        }
        try {
            Object json = io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
            if (json == null) {
                throw new InvalidResourceException("the request body is JSON null");
            }
            return json;
        } catch (io.vertx.core.json.DecodeException e) {
            throw new InvalidResourceException("the request body is not valid JSON");
        }
    }

    // ------------------------------------------------------------------ responses

    /** Runs an operation; a synchronous exception (bad parameter or body) fails the request like an asynchronous one. */
    private void run(RoutingContext ctx, java.util.function.Supplier<Future<?>> operation) {
        Future<?> result;
        try {
            result = operation.get();
        } catch (RuntimeException e) {
            fail(ctx, e);
            return;
        }
        result.onFailure(e -> fail(ctx, e));
    }

    private static void created(RoutingContext ctx, String location, StoredResource<?> stored) {
        ctx.response().setStatusCode(201)
                .putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.ETAG, stored.version())
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(new JsonObject().put("id", stored.id()).encode());
    }

    private static void ok(RoutingContext ctx, String version, JsonObject body) {
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.ETAG, version)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(body.encode());
    }

    private static void noContent(RoutingContext ctx, String version) {
        if (version != null) {
            ctx.response().putHeader(HttpHeaders.ETAG, version);
        }
        ctx.response().setStatusCode(204).end();
    }

    private void searchResult(RoutingContext ctx, SearchQuery query, List<JsonObject> candidates, String what) {
        JsonObject result = query.apply(candidates);
        if (result.getInteger("total") == 0) {
            // Hono's registries answer a search without any match with 404.
            send(ctx, new ErrorResponse(404, "registry:resource.notfound", "no " + what + " match the search", null));
            return;
        }
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end(result.encode());
    }

    private void fail(RoutingContext ctx, Throwable failure) {
        ErrorResponse error = toErrorResponse(failure);
        send(ctx, error);
        if (error.status() >= 500) {
            LOG.error("{} {} failed", ctx.request().method(), ctx.normalizedPath(), failure);
        }
    }

    private void handleFailure(RoutingContext ctx) {
        if (ctx.statusCode() == 413) {
            send(ctx, new ErrorResponse(413, "registry:request.toolarge",
                    "the request body exceeds " + maxBodyBytes + " bytes", "send a smaller body"));
        } else if (ctx.failure() != null) {
            fail(ctx, ctx.failure());
        } else {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            send(ctx, new ErrorResponse(status, status >= 500 ? "registry:internal.error" : "registry:request.invalid",
                    "the request could not be processed (HTTP " + status + ")", null));
        }
    }

    private static ErrorResponse toErrorResponse(Throwable failure) {
        if (failure instanceof InvalidParameterException e) {
            return new ErrorResponse(400, "registry:parameter.invalid", e.getMessage(), null);
        }
        if (failure instanceof InvalidResourceException e) {
            return new ErrorResponse(400, "registry:json.invalid", e.getMessage(),
                    "check the body against Hono's device-registry-v1 API");
        }
        if (failure instanceof RegistryStoreException e) {
            return switch (e.failure()) {
                case TENANT_NOT_FOUND -> new ErrorResponse(404, "registry:tenant.notfound", e.getMessage(), null);
                case DEVICE_NOT_FOUND -> new ErrorResponse(404, "registry:device.notfound", e.getMessage(), null);
                case CONFLICT -> new ErrorResponse(409, "registry:resource.conflict", e.getMessage(), null);
                case PRECONDITION_FAILED -> new ErrorResponse(412, "registry:precondition.failed", e.getMessage(),
                        "read the resource again and use its current ETag");
                case INVALID -> new ErrorResponse(400, "registry:json.invalid", e.getMessage(), null);
            };
        }
        return new ErrorResponse(500, "registry:internal.error", "the registry failed to process the request", null);
    }

    private static void send(RoutingContext ctx, ErrorResponse error) {
        if (error.status() < 500) {
            LOG.atLevel(HttpErrorLogLevel.of(ctx.request().method().name(), error.status()))
                    .log("{} {} -> {} {}: {}", ctx.request().method(), ctx.normalizedPath(), error.status(),
                            error.error(), error.message());
        }
        error.send(ctx);
    }

    private void countWhenAnswered(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        ctx.addEndHandler(v -> Counter.builder("hono.registry.requests")
                .description("management API requests by method and response status")
                .tag("method", method.name())
                .tag("status", Integer.toString(ctx.response().getStatusCode()))
                .register(meters)
                .increment());
        ctx.next();
    }
}
