package io.twinworks.localstack.hono.registry.model;

import java.util.Arrays;
import java.util.Optional;

/** The hash functions Hono supports for {@code hashed-password} secrets. */
public enum HashFunction {
    /** Salt embedded in the hash ({@code $2a$...}), as produced by Spring Security's BCrypt. */
    BCRYPT("bcrypt"),
    /** Base64 of SHA-256(salt bytes || UTF-8 password). */
    SHA_256("sha-256"),
    /** Base64 of SHA-512(salt bytes || UTF-8 password). */
    SHA_512("sha-512");

    private final String wireName;

    HashFunction(String wireName) {
        this.wireName = wireName;
    }

    /** The name used in the {@code hash-function} member. */
    public String wireName() {
        return wireName;
    }

    /** The function with that {@code hash-function} name, if Hono supports it. */
    public static Optional<HashFunction> fromWireName(String name) {
        return Arrays.stream(values()).filter(f -> f.wireName.equals(name)).findFirst();
    }
}
