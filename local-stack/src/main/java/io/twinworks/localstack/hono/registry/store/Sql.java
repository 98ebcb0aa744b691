package io.twinworks.localstack.hono.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Small JDBC helpers the registry's DAOs share. */
final class Sql {

    private Sql() {
    }

    /** Runs an INSERT, UPDATE or DELETE with string parameters. */
    static void update(Connection connection, String sql, String... parameters) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            ps.executeUpdate();
        }
    }

    /** A new resource version (Hono's registries use opaque strings). */
    static String newVersion() {
        return UUID.randomUUID().toString();
    }

    /** An instant column that may be NULL (a resource never updated). */
    static Instant instantOrNull(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
