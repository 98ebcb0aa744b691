package io.twinworks.localstack.ditto.api3;

import io.twinworks.localstack.ditto.http.BasicAuthenticator;
import io.twinworks.localstack.ditto.http.DittoHttpErrors;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayMethodNotAllowedException;
import org.eclipse.ditto.json.JsonFactory;

/**
 * {@code GET /api/2/whoami} (Ditto 3.x; Ditto's JavaScript client asks for it first): the caller's auth subjects,
 * {@code {"defaultSubject": "nginx:<user>", "subjects": ["nginx:<user>"]}}.
 */
public final class WhoAmIRoutes {

    private final Api3Routes support;

    public WhoAmIRoutes(BasicAuthenticator authenticator, DittoHttpErrors errors) {
        this.support = new Api3Routes(authenticator, errors);
    }

    /** Adds the route ahead of the API's generic ones. */
    public void mount(Router router) {
        router.route("/api/2/whoami").order(Api3Routes.ROUTE_ORDER).handler(this::whoami);
    }

    private void whoami(RoutingContext ctx) {
        DittoHeaders headers = DittoHttpErrors.correlatedHeaders(ctx);
        try {
            AuthorizationContext caller = support.authenticate(ctx, headers);
            if (ctx.request().method() != HttpMethod.GET) {
                throw GatewayMethodNotAllowedException.newBuilder(ctx.request().method().name()).dittoHeaders(headers).build();
            }
            var subjects = JsonFactory.newArrayBuilder();
            caller.getAuthorizationSubjects().stream().map(AuthorizationSubject::getId).forEach(subjects::add);
            String body = JsonFactory.newObjectBuilder()
                    .set("defaultSubject", caller.getFirstAuthorizationSubject().map(AuthorizationSubject::getId).orElse(""))
                    .set("subjects", subjects.build())
                    .build().toString();
            Api3Routes.respond(ctx, headers, 200, body);
        } catch (RuntimeException e) {
            support.errors().send(ctx, e, headers);
        }
    }
}
