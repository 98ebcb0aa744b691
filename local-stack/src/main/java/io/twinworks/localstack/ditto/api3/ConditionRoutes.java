package io.twinworks.localstack.ditto.api3;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.twinworks.localstack.ditto.search.ThingSearch;
import io.twinworks.localstack.ditto.service.TwinService;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.json.JsonSchemaVersion;
import org.eclipse.ditto.rql.query.criteria.Criteria;
import org.eclipse.ditto.rql.query.things.ThingPredicateVisitor;
import org.eclipse.ditto.things.model.ThingId;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConditionFailedException;
import org.eclipse.ditto.things.model.signals.commands.exceptions.ThingConditionInvalidException;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThing;
import org.eclipse.ditto.things.model.signals.commands.query.RetrieveThingResponse;

import java.util.Objects;

/**
 * Ditto's {@code condition} query parameter on any request to a thing or one of its parts
 * ({@code /api/2/things/<id>[/...]?condition=<RQL>}): the RQL is evaluated with Ditto's predicate visitor on the thing
 * as the caller may read it; when it is false the request is not executed and answers 412
 * {@code things:condition.failed}; an invalid RQL is 400 {@code things:condition.invalid}; a thing the caller cannot
 * see is 404 as without the condition. When it holds, the request goes on to the API's normal route.
 *
 * <p>Unlike Ditto, which evaluates the condition inside the thing's persistence actor, the check and the command are
 * two steps here: a change applied between them by another client is not seen by the condition.
 */
public final class ConditionRoutes {

    private static final String CONDITION = "condition";

    private final Api3Routes support;
    private final TwinService twins;

    public ConditionRoutes(TwinService twins, BasicAuthenticator authenticator, DittoHttpErrors errors) {
        this.support = new Api3Routes(authenticator, errors);
        this.twins = Objects.requireNonNull(twins, "twins");
    }

    /** Adds the check ahead of the API's generic routes for things and their parts. */
    public void mount(Router router) {
        router.route("/api/2/things/:thingId").order(Api3Routes.ROUTE_ORDER + 1).handler(this::check);
        router.route("/api/2/things/:thingId/*").order(Api3Routes.ROUTE_ORDER + 1).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String condition = ctx.request().getParam(CONDITION);
        if (condition == null) {
            ctx.next();
            return;
        }
        // the body stays unread until the condition is decided (the API's body handler reads it afterwards)
        ctx.request().pause();
        DittoHeaders base = DittoHttpErrors.correlatedHeaders(ctx);
        RetrieveThing retrieve;
        Criteria criteria;
        try {
            AuthorizationContext caller = support.authenticate(ctx, base);
            DittoHeaders headers = base.toBuilder().authorizationContext(caller).schemaVersion(JsonSchemaVersion.V_2).build();
            try {
                criteria = ThingSearch.parseFilter(condition, headers);
            } catch (RuntimeException invalid) {
                throw ThingConditionInvalidException.newBuilder(condition, invalid.getMessage()).dittoHeaders(headers).build();
            }
            retrieve = RetrieveThing.of(ThingId.of(ctx.pathParam("thingId")), headers);
        } catch (RuntimeException e) {
            fail(ctx, e, base);
            return;
        }
        twins.handle(retrieve).onSuccess(response -> {
            boolean holds = response instanceof RetrieveThingResponse found
                    && ThingPredicateVisitor.apply(criteria).test(found.getThing());
            if (holds) {
                ctx.next();
            } else {
                fail(ctx, ThingConditionFailedException.newBuilder(retrieve.getDittoHeaders())
                        .dittoHeaders(retrieve.getDittoHeaders()).build(), retrieve.getDittoHeaders());
            }
        }).onFailure(failure -> fail(ctx, failure, retrieve.getDittoHeaders()));
    }

    private void fail(RoutingContext ctx, Throwable failure, DittoHeaders headers) {
        ctx.request().resume();
        support.errors().send(ctx, failure, headers);
    }
}
