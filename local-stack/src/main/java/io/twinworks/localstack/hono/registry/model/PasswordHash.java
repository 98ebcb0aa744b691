package io.twinworks.localstack.hono.registry.model;

import java.util.Objects;

/**
 * The confidential part of a {@code hashed-password} secret.
 *
 * @param function the hash function
 * @param hash     {@code pwd-hash}: the bcrypt string, or the Base64 digest for SHA functions
 * @param salt     {@code salt}: Base64 salt bytes for SHA functions, or {@code null}
 */
public record PasswordHash(HashFunction function, String hash, String salt) {

    public PasswordHash {
        Objects.requireNonNull(function, "function");
        Objects.requireNonNull(hash, "hash");
        if (hash.isEmpty()) {
            throw new IllegalArgumentException("'pwd-hash' must not be empty");
        }
    }

    /** Does not reveal the hash: hashes of weak passwords are as good as the password. */
    @Override
    public String toString() {
        return "PasswordHash[function=" + function.wireName() + ", hash=***]";
    }
}
