package io.twinworks.localstack.ditto.ws;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.entity.id.EntityId;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.signals.Signal;
import org.eclipse.ditto.base.model.signals.commands.ErrorResponse;
import org.eclipse.ditto.messages.model.signals.commands.MessageCommand;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Live messages sent by one-shot senders outside the WebSocket — Ditto's HTTP messages API — routed by the
 * same {@link LiveSignalRouter} as messages of WebSocket sessions: the same policy enforcement (WRITE on the
 * {@code message:} resource), the same subscribers, the same timeout, the same first-response-wins.
 */
public final class LiveMessages {

    private final LiveSignalRouter router;

    LiveMessages(LiveSignalRouter router) {
        this.router = Objects.requireNonNull(router, "router");
    }

    /**
     * Sends the message as the subject.
     *
     * @return the recipient's response; empty when no response is awaited ({@code timeout} 0 or
     * {@code response-required: false}); failed with the {@link DittoRuntimeException} of a refusal (e.g. 403
     * {@code messages:send.notallowed}, 404 {@code things:thing.notfound}), of a timeout (408), or of an error
     * response the recipient sent
     */
    public Future<Optional<Signal<?>>> send(MessageCommand<?, ?> message, AuthorizationContext subject) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(subject, "subject");
        Promise<Optional<Signal<?>>> answer = Promise.promise();
        router.route(new OneShotSender(subject, answer), message);
        return answer.future();
    }

    /** One HTTP request waiting for its answer. */
    private record OneShotSender(AuthorizationContext subject, Promise<Optional<Signal<?>>> answer,
                                 String id) implements LiveSender {

        OneShotSender(AuthorizationContext subject, Promise<Optional<Signal<?>>> answer) {
            this(subject, answer, "http-" + UUID.randomUUID());
        }

        @Override
        public void emitSignal(Signal<?> signal) {
            if (signal instanceof ErrorResponse<?> error) {
                answer.tryFail(error.getDittoRuntimeException());
            } else {
                answer.tryComplete(Optional.of(signal));
            }
        }

        @Override
        public void emitError(DittoRuntimeException error, EntityId entityId) {
            answer.tryFail(error);
        }

        @Override
        public void refusedWithoutResponse(DittoRuntimeException error) {
            // an HTTP request always gets an answer: the refusal, even for fire-and-forget
            answer.tryFail(error);
        }

        @Override
        public void dispatched(int recipients, boolean awaitingResponse) {
            if (!awaitingResponse) {
                answer.tryComplete(Optional.empty());
            }
        }
    }
}
