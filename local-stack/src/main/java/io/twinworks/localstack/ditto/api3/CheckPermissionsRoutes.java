package io.twinworks.localstack.ditto.api3;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.exceptions.DittoJsonException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayMethodNotAllowedException;
import org.eclipse.ditto.json.JsonFactory;
import org.eclipse.ditto.json.JsonField;
import org.eclipse.ditto.json.JsonObject;
import org.eclipse.ditto.json.JsonObjectBuilder;
import org.eclipse.ditto.json.JsonValue;
import org.eclipse.ditto.policies.model.PolicyId;
import org.eclipse.ditto.policies.model.ResourceKey;
import org.eclipse.ditto.policies.model.enforcers.PolicyEnforcers;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.json.JsonParseException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code POST /api/2/checkPermissions} (Ditto 3.x): for each named check
 * {@code {"resource": "thing:/features/x", "entityId": "<thing or policy ID>", "hasPermissions": ["READ"]}} whether the
 * caller has all those permissions on that resource, answered as {@code {"<name>": true|false}}. Thing and message
 * resources are decided by the thing's policy, policy resources by the policy itself, with Ditto's own policy
 * evaluator; an entity that does not exist gives {@code false}. A malformed check is 400 {@code json.invalid}.
 */
public final class CheckPermissionsRoutes {

    private final Api3Routes support;
    private final TwinService twins;
    private final int maxBodyBytes;

    public CheckPermissionsRoutes(TwinService twins, BasicAuthenticator authenticator, DittoHttpErrors errors,
                                  int maxBodyBytes) {
        this.support = new Api3Routes(authenticator, errors);
        this.twins = Objects.requireNonNull(twins, "twins");
        this.maxBodyBytes = maxBodyBytes;
    }

    /** Adds the route ahead of the API's generic ones. */
    public void mount(Router router) {
        router.route("/api/2/checkPermissions").order(Api3Routes.ROUTE_ORDER)
                .handler(BodyHandler.create(false).setBodyLimit(maxBodyBytes)).handler(this::check);
    }

    private record Check(String name, ResourceKey resource, String entityId, List<String> permissions) {
    }

    private void check(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        AuthorizationContext caller;
        List<Check> checks;
        try {
            caller = support.authenticate(ctx, headers);
            if (ctx.request().method() != HttpMethod.POST) {
                throw GatewayMethodNotAllowedException.newBuilder(ctx.request().method().name()).dittoHeaders(headers).build();
            }
            checks = parse(ctx.body().asString(), headers);
        } catch (RuntimeException e) {
            support.errors().send(ctx, e, headers);
            return;
        }
        List<Future<Boolean>> answers = new ArrayList<>();
        for (Check check : checks) {
            answers.add(decide(check, caller));
        }
        Future.all(answers).onComplete(done -> {
            if (done.failed()) {
                support.errors().send(ctx, done.cause(), headers);
                return;
            }
            JsonObjectBuilder result = JsonFactory.newObjectBuilder();
            for (int i = 0; i < checks.size(); i++) {
                result.set(checks.get(i).name(), answers.get(i).result());
            }
            Api3Routes.respond(ctx, headers, 200, result.build().toString());
        });
    }

    private Future<Boolean> decide(Check check, AuthorizationContext caller) {
        String type = check.resource().getResourceType();
        Future<java.util.Optional<org.eclipse.ditto.policies.model.Policy>> policy;
        try {
            policy = "policy".equals(type) ? twins.policy(PolicyId.of(check.entityId()))
                    : twins.thingPolicy(ThingId.of(check.entityId()));
        } catch (RuntimeException invalidId) {
            return Future.succeededFuture(false);
        }
        return policy.map(found -> found.map(p -> PolicyEnforcers.defaultEvaluator(p)
                .hasUnrestrictedPermissions(check.resource(), caller, check.permissions().get(0),
                        check.permissions().subList(1, check.permissions().size()).toArray(String[]::new)))
                .orElse(false));
    }

    private static List<Check> parse(String body, DittoHeaders headers) {
        JsonObject json;
        try {
            json = JsonFactory.newObject(body == null ? "" : body);
        } catch (JsonParseException | IllegalArgumentException | NullPointerException e) {
            throw invalid("The body must be a JSON object of named permission checks.", headers);
        }
        List<Check> checks = new ArrayList<>();
        for (JsonField field : json) {
            String name = field.getKeyName();
            JsonValue value = field.getValue();
            if (!value.isObject()) {
                throw invalid("Check <" + name + "> must be an object {resource, entityId, hasPermissions}.", headers);
            }
            JsonObject check = value.asObject();
            String resource = check.getValue("resource").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
            String entityId = check.getValue("entityId").filter(JsonValue::isString).map(JsonValue::asString).orElse(null);
            List<String> permissions = check.getValue("hasPermissions").filter(JsonValue::isArray)
                    .map(array -> array.asArray().stream().filter(JsonValue::isString).map(JsonValue::asString).toList())
                    .orElse(List.of());
            int colon = resource == null ? -1 : resource.indexOf(':');
            if (colon <= 0 || entityId == null || permissions.isEmpty()
                    || !List.of("thing", "policy", "message").contains(resource.substring(0, colon))
                    || !permissions.stream().allMatch(p -> p.equals("READ") || p.equals("WRITE"))) {
                throw invalid("Check <" + name + "> needs a resource 'thing:', 'policy:' or 'message:' + path, an entityId "
                        + "and hasPermissions from READ, WRITE.", headers);
            }
            checks.add(new Check(name, ResourceKey.newInstance(resource), entityId, permissions));
        }
        return checks;
    }

    private static DittoJsonException invalid(String message, DittoHeaders headers) {
        return new DittoJsonException(JsonParseException.newBuilder().message(message).build(), headers);
    }
}
