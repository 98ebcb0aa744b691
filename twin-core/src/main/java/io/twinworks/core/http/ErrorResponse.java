package io.twinworks.core.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * The one error shape of every Twinworks HTTP API, the same as Eclipse Ditto's:
 * {@code {"status":404,"error":"things:thing.notfound","message":"...","description":"..."}}.
 * Hono clients reading only the {@code error} member keep working too.
 *
 * @param status      HTTP status code
 * @param error       stable, namespaced error code, e.g. {@code registry:device.notfound}
 * @param message     what went wrong, for a person
 * @param description what to do about it (may be {@code null})
 */
public record ErrorResponse(int status, String error, String message, @Nullable String description) {

    /** The content type Ditto uses for its errors. */
    public static final String CONTENT_TYPE = "application/json";

    public ErrorResponse {
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(message, "message");
    }

    /** JSON form; {@code description} omitted when absent, as Ditto does. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("status", status)
                .put("error", error)
                .put("message", message);
        if (description != null) {
            json.put("description", description);
        }
        return json;
    }

    /** Ends the request with this error. */
    public void send(RoutingContext ctx) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", CONTENT_TYPE)
                .end(toJson().encode());
    }
}
