package io.twinworks.localstack.ditto.http;

import org.eclipse.ditto.base.model.common.HttpStatus;
import org.eclipse.ditto.base.model.exceptions.DittoRuntimeException;
import org.eclipse.ditto.base.model.headers.DittoHeaders;

import java.net.URI;

/**
 * 400 {@code uri.invalid}: the request URI cannot be decoded (a {@code %} not followed by two hex
 * digits, or escapes that are no UTF-8). Ditto's own gateway refuses such URIs before routing; this
 * gives the refusal Ditto's error shape so clients parse every error the same way.
 */
public final class RequestUriInvalidException extends DittoRuntimeException {

    /** The error code in the {@code error} field. */
    public static final String ERROR_CODE = "uri.invalid";

    private static final String DESCRIPTION = "Percent-encode reserved characters in paths and query parameters "
            + "as '%' followed by two hex digits of their UTF-8 bytes (e.g. ':' as '%3A', '%' itself as '%25').";

    private RequestUriInvalidException(DittoHeaders headers, String message, String description, Throwable cause,
                                       URI href) {
        super(ERROR_CODE, HttpStatus.BAD_REQUEST, headers, message, description, cause, href);
    }

    /**
     * @param reason  why the URI cannot be decoded
     * @param headers the request's headers (correlation ID)
     * @return the exception
     */
    public static RequestUriInvalidException of(String reason, DittoHeaders headers) {
        return new RequestUriInvalidException(headers, "The request URI is not validly percent-encoded: " + reason,
                DESCRIPTION, null, null);
    }

    @Override
    public DittoRuntimeException setDittoHeaders(DittoHeaders headers) {
        return new RequestUriInvalidException(headers, getMessage(), getDescription().orElse(null), getCause(),
                getHref().orElse(null));
    }
}
