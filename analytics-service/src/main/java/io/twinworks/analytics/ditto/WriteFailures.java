package io.twinworks.analytics.ditto;

import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/** Which failed writes are worth retrying: Ditto's answers 408 and 5xx, and no answer at all. */
public final class WriteFailures {

    private WriteFailures() {
    }

    /**
     * {@code true} for 408 (e.g. {@code acknowledgement:request.timeout} when {@code twin-persisted}
     * did not come in time) and 5xx answers, and for timeouts without an answer; {@code false} for
     * every other answer (403 not allowed, 400 invalid, 404 no such twin): those would fail again.
     */
    public static boolean isTransient(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof DittoRuntimeException ditto) {
            int status = ditto.getHttpStatus().getCode();
            return status == 408 || status >= 500;
        }
        return cause instanceof TimeoutException;
    }

    /** The HTTP status of a Ditto answer, or -1 when the failure is not one. */
    public static int status(Throwable failure) {
        return unwrap(failure) instanceof DittoRuntimeException ditto ? ditto.getHttpStatus().getCode() : -1;
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
