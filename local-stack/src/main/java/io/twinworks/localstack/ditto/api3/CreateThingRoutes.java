package io.twinworks.localstack.ditto.api3;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonParseException;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.things.model.Thing;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.ThingsModelFactory;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingIdNotExplicitlySettableException;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThing;
import org.eclipse.ditto.things.model.signals.commands.modify.CreateThingResponse;

import java.util.Objects;
import java.util.UUID;

/**
 * {@code POST /api/2/things} (Ditto 3.x): creates a thing whose ID the server generates, {@code <namespace>:<uuid>} in
 * Ditto's default namespace ({@value #DEFAULT_NAMESPACE}), from the body (without {@code thingId}; {@code _policy}
 * inline or a {@code policyId}, else Ditto's default policy for the caller), through the same {@code CreateThing}
 * command as {@code PUT}: 201 with the thing, {@code Location} and {@code ETag}. A body naming a {@code thingId} is
 * 400 {@code things:id.notsettable}; a body that is no JSON object is 400 {@code json.invalid}.
 */
public final class CreateThingRoutes {

    /** Ditto's default namespace for generated thing IDs ({@code ditto.gateway.http.default-namespace}). */
    public static final String DEFAULT_NAMESPACE = "org.eclipse.ditto";

    private final Api3Routes support;
    private final TwinService twins;
    private final int maxBodyBytes;

    public CreateThingRoutes(TwinService twins, BasicAuthenticator authenticator, DittoHttpErrors errors, int maxBodyBytes) {
        this.support = new Api3Routes(authenticator, errors);
        this.twins = Objects.requireNonNull(twins, "twins");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Adds {@code POST /api/2/things} ahead of the API's generic routes (which answer GET on that path). */
    public void mount(Router router) {
        router.post("/api/2/things").order(Api3Routes.ROUTE_ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::create);
    }

    private void create(RoutingContext ctx) {
        DittoHeaders base = DittoHttpErrors.correlatedHeaders(ctx);
        CreateThing command;
        try {
            AuthorizationContext caller = support.authenticate(ctx, base);
            DittoHeaders headers = base.toBuilder().authorizationContext(caller).schemaVersion(JsonSchemaVersion.V_2).build();
            JsonObject body = parse(ctx.body().asString(), headers);
            if (body.contains("thingId")) {
                throw ThingIdNotExplicitlySettableException.forPostMethod().dittoHeaders(headers).build();
            }
            ThingId thingId = ThingId.of(DEFAULT_NAMESPACE, UUID.randomUUID().toString());
            JsonObject inlinePolicy = body.getValue("_policy").filter(JsonValue::isObject).map(JsonValue::asObject).orElse(null);
            Thing thing = ThingsModelFactory.newThing(body.remove("_policy")).toBuilder().setId(thingId).build();
            command = CreateThing.of(thing, inlinePolicy, headers);
        } catch (RuntimeException e) {
            support.errors().send(ctx, e, base);
            return;
        }
        twins.handle(command).onSuccess(response -> {
            if (ctx.response().ended()) {
                return;
            }
            DittoHeaders headers = response.getDittoHeaders();
            headers.getETag().ifPresent(tag -> ctx.response().putHeader("ETag", tag.toString()));
            ctx.response().putHeader("Location", "/api/2/things/" + command.getEntityId());
            String entity = (response instanceof CreateThingResponse created
                    ? created.getEntity(JsonSchemaVersion.V_2).map(JsonValue::toString) : java.util.Optional.<String>empty())
                    .orElseGet(() -> command.getThing().toJson().toString());
            Api3Routes.respond(ctx, command.getDittoHeaders(), 201, entity);
        }).onFailure(failure -> support.errors().send(ctx, failure, command.getDittoHeaders()));
    }

    private static JsonObject parse(String body, DittoHeaders headers) {
        try {
            JsonValue value = JsonFactory.readFrom(body == null || body.isBlank() ? "{}" : body);
            if (!value.isObject()) {
                throw JsonParseException.newBuilder().message("The thing must be a JSON object.").build();
            }
            return value.asObject();
        } catch (JsonParseException e) {
            throw new DittoJsonException(e, headers);
        }
    }
}
