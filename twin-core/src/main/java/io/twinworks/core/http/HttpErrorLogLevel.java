package io.twinworks.core.http;

import org.slf4j.event.Level;

/**
 * The level at which an HTTP API logs an error answer it sends.
 *
 * <p>Every error answer is counted; the log line is for people. A server fault is an ERROR; bad
 * input is worth an INFO line (who sent what, and why it was refused). A read that finds nothing
 * ({@code GET}/{@code HEAD} answered 404) is neither: it is how clients ask "does this exist?" —
 * provisioning asks it for every device, policy and thing before creating them — so it goes to
 * DEBUG, where it does not bury the lines a user needs. So does a 401 to a request that sent no
 * credentials: that is HTTP's challenge (browsers and health probes ask that way first), while wrong
 * credentials stay an INFO line.
 */
public final class HttpErrorLogLevel {

    private HttpErrorLogLevel() {
    }

    /**
     * @param method the request's HTTP method name (e.g. {@code GET})
     * @param status the status of the error answer
     * @return the level to log the answer at
     */
    public static Level of(String method, int status) {
        return of(method, status, true);
    }

    /**
     * @param method           the request's HTTP method name (e.g. {@code GET})
     * @param status           the status of the error answer
     * @param credentialsSent  whether the request carried an {@code Authorization} header
     * @return the level to log the answer at
     */
    public static Level of(String method, int status, boolean credentialsSent) {
        if (status == 401 && !credentialsSent) {
            return Level.DEBUG;
        }
        if (status >= 500) {
            return Level.ERROR;
        }
        if (status == 404 && ("GET".equals(method) || "HEAD".equals(method))) {
            return Level.DEBUG;
        }
        return Level.INFO;
    }
}
