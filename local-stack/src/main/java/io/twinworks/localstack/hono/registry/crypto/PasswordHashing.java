package io.twinworks.localstack.hono.registry.crypto;

import io.twinworks.localstack.hono.registry.model.HashFunction;
import io.twinworks.localstack.hono.registry.model.PasswordHash;
import io.twinworks.localstack.hono.registry.model.PlainPassword;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hashing and checking of {@code hashed-password} secrets the way Hono does: new clear-text
 * passwords are hashed with BCrypt (Spring Security's encoder, {@code $2a$}), and stored hashes
 * made with {@code bcrypt}, {@code sha-256} or {@code sha-512} (Base64 of digest(salt || UTF-8
 * password)) are accepted.
 *
 * <p>Every method here is CPU-bound (BCrypt at cost 10 takes tens of milliseconds): call it from a
 * worker thread, never from an event loop. Thread-safe.
 */
public final class PasswordHashing {

    /** The format Spring's BCrypt accepts: {@code $2a$}/{@code $2b$}/{@code $2y$}, 2-digit cost, 53 chars salt+hash. */
    private static final Pattern BCRYPT_PATTERN = Pattern.compile("\\A\\$2([aby])\\$(\\d\\d)\\$[./0-9A-Za-z]{53}\\z");

    private final int bcryptCost;
    private final BCryptPasswordEncoder bcrypt;

    /**
     * Creates the hashing with the BCrypt cost used for new passwords, which is also the largest
     * cost accepted for uploaded BCrypt hashes (Hono's {@code maxBcryptCostFactor}): a higher cost
     * would let one registry client slow every device login down.
     *
     * @param bcryptCost the BCrypt cost, 4..31
     */
    public PasswordHashing(int bcryptCost) {
        if (bcryptCost < 4 || bcryptCost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be within 4..31, was " + bcryptCost);
        }
        this.bcryptCost = bcryptCost;
        this.bcrypt = new BCryptPasswordEncoder(BCryptPasswordEncoder.BCryptVersion.$2A, bcryptCost, new SecureRandom());
    }

    /** The BCrypt cost for new hashes and the maximum accepted for uploaded ones. */
    public int bcryptCost() {
        return bcryptCost;
    }

    /**
     * Hashes a clear-text password with BCrypt.
     *
     * @throws IllegalArgumentException when the password is longer than BCrypt's 72 bytes
     */
    public PasswordHash hash(PlainPassword password) {
        if (password.value().getBytes(StandardCharsets.UTF_8).length > 72) {
            throw new IllegalArgumentException("'pwd-plain' must not be longer than 72 bytes (BCrypt limit)");
        }
        return new PasswordHash(HashFunction.BCRYPT, bcrypt.encode(password.value()), null);
    }

    /**
     * Checks that an uploaded hash can be verified later: a well-formed BCrypt string with a cost
     * not above the maximum, or Base64 digest and salt of the right length for SHA functions.
     *
     * @throws IllegalArgumentException naming what is wrong (never the hash itself)
     */
    public void checkAcceptable(PasswordHash hash) {
        switch (hash.function()) {
            case BCRYPT -> {
                Matcher matcher = BCRYPT_PATTERN.matcher(hash.hash());
                if (!matcher.matches()) {
                    throw new IllegalArgumentException("'pwd-hash' is not a supported BCrypt hash ($2a$, $2b$ or $2y$)");
                }
                int cost = Integer.parseInt(matcher.group(2));
                if (cost > bcryptCost) {
                    throw new IllegalArgumentException("BCrypt cost factor " + cost
                            + " exceeds the configured maximum of " + bcryptCost);
                }
            }
            case SHA_256, SHA_512 -> {
                byte[] digest = decodeBase64(hash.hash(), "pwd-hash");
                int expectedLength = hash.function() == HashFunction.SHA_256 ? 32 : 64;
                if (digest.length != expectedLength) {
                    throw new IllegalArgumentException("'pwd-hash' must be the Base64 encoding of "
                            + expectedLength + " bytes for " + hash.function().wireName());
                }
                if (hash.salt() != null) {
                    decodeBase64(hash.salt(), "salt");
                }
            }
        }
    }

    /** Whether the clear-text password matches the hash on record; malformed records never match. */
    public boolean matches(String password, PasswordHash onRecord) {
        try {
            return switch (onRecord.function()) {
                case BCRYPT -> bcrypt.matches(password, onRecord.hash());
                case SHA_256 -> digestMatches("SHA-256", password, onRecord);
                case SHA_512 -> digestMatches("SHA-512", password, onRecord);
            };
        } catch (IllegalArgumentException e) {
            // Spring refuses passwords over 72 bytes; Base64 of a bad record: both are simply "no match".
            return false;
        }
    }

    /** Computes a salted SHA hash in Hono's format, for callers (and tests) that provision pre-hashed secrets. */
    public static PasswordHash shaHash(HashFunction function, String password, byte[] salt) {
        if (function == HashFunction.BCRYPT) {
            throw new IllegalArgumentException("not a SHA function: " + function);
        }
        String algorithm = function == HashFunction.SHA_256 ? "SHA-256" : "SHA-512";
        byte[] digest = digest(algorithm, salt, password);
        return new PasswordHash(function, Base64.getEncoder().encodeToString(digest),
                salt == null ? null : Base64.getEncoder().encodeToString(salt));
    }

    private static boolean digestMatches(String algorithm, String password, PasswordHash onRecord) {
        byte[] salt = onRecord.salt() == null ? null : Base64.getDecoder().decode(onRecord.salt());
        byte[] expected = Base64.getDecoder().decode(onRecord.hash());
        // Constant-time comparison: the time taken must not tell how many leading bytes matched.
        return MessageDigest.isEqual(expected, digest(algorithm, salt, password));
    }

    private static byte[] digest(String algorithm, byte[] salt, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            if (salt != null) {
                digest.update(salt);
            }
            return digest.digest(password.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has " + algorithm, e);
        }
    }

    private static byte[] decodeBase64(String value, String member) {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + member + "' is not valid Base64");
        }
    }
}
