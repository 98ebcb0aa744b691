package io.twinworks.localstack.ditto.http;

import org.eclipse.ditto.base.model.auth.AuthorizationContext;
import org.eclipse.ditto.base.model.auth.AuthorizationSubject;
import org.eclipse.ditto.base.model.auth.DittoAuthorizationContextType;
import org.eclipse.ditto.base.model.headers.DittoHeaders;
import org.eclipse.ditto.base.model.signals.commands.exceptions.GatewayAuthenticationFailedException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP Basic authentication as in Ditto's docker-compose set-up, where nginx checks the password
 * and Ditto trusts the user as subject {@code nginx:<user>}.
 */
public final class BasicAuthenticator {

    /** The subject issuer Ditto's pre-authenticated nginx set-up uses. */
    public static final String SUBJECT_ISSUER = "nginx";

    private final Map<String, byte[]> passwords;

    /** @param users user name to password */
    public BasicAuthenticator(Map<String, String> users) {
        Objects.requireNonNull(users, "users");
        this.passwords = users.entrySet().stream().collect(java.util.stream.Collectors.toUnmodifiableMap(
                Map.Entry::getKey, entry -> entry.getValue().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Authenticates an {@code Authorization} header value.
     *
     * @throws GatewayAuthenticationFailedException (401, {@code gateway:authentication.failed}) when
     *                                              the header is missing, malformed or wrong
     */
    public AuthorizationContext authenticate(String authorizationHeader, DittoHeaders headers) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw failure("Missing or unsupported 'Authorization' header: HTTP Basic authentication is required.",
                    headers);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorizationHeader.substring(6).trim()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw failure("The HTTP Basic credentials are not valid Base64.", headers);
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        byte[] given = (colon < 0 ? "" : decoded.substring(colon + 1)).getBytes(StandardCharsets.UTF_8);
        byte[] expected = passwords.get(user);
        // compare even for unknown users so that timing does not reveal which users exist
        boolean matches = MessageDigest.isEqual(expected == null ? new byte[0] : expected, given) && expected != null;
        if (!matches) {
            throw failure("The user name or password is wrong.", headers);
        }
        return AuthorizationContext.newInstance(DittoAuthorizationContextType.PRE_AUTHENTICATED_HTTP,
                AuthorizationSubject.newInstance(SUBJECT_ISSUER + ":" + user));
    }

    private static GatewayAuthenticationFailedException failure(String message, DittoHeaders headers) {
        return GatewayAuthenticationFailedException.newBuilder(message)
                .description("Check if your credentials were correct.")
                .dittoHeaders(headers)
                .build();
    }
}
