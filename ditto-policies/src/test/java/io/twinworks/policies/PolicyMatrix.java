package io.twinworks.policies;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.twinworks.policies.PolicyRole.ADMIN;
import static io.twinworks.policies.PolicyRole.ANALYTICS;
import static io.twinworks.policies.PolicyRole.DEVICE;
import static io.twinworks.policies.PolicyRole.OPERATOR;
import static io.twinworks.policies.PolicyRole.SIMULATION;

/**
 * The intended allow/deny matrix of the templates on a centrifugal pump: each cell is one request
 * and the roles that must be allowed it; every other role must be denied.
 */
final class PolicyMatrix {

    /** One question to the policy: may a role do {@code permission} on {@code type:path}? */
    record Cell(String type, String path, String permission, Set<PolicyRole> allowed) {
        String label() {
            return permission + " " + type + ":" + path;
        }
    }

    static final List<Cell> PUMP = List.of(
            new Cell("thing", "/attributes/tenant", "READ", EnumSet.of(ANALYTICS, SIMULATION, OPERATOR, ADMIN)),
            new Cell("thing", "/attributes/location", "WRITE", EnumSet.of(ADMIN)),
            new Cell("thing", "/features/vibration/properties/rms", "READ", EnumSet.allOf(PolicyRole.class)),
            new Cell("thing", "/features/vibration/properties/rms", "WRITE", EnumSet.of(DEVICE, ADMIN)),
            new Cell("thing", "/features/drive/properties/speed", "WRITE", EnumSet.of(DEVICE, ADMIN)),
            new Cell("thing", "/features/drive/desiredProperties/speed", "WRITE", EnumSet.of(OPERATOR, ADMIN)),
            new Cell("thing", "/features/vibration/desiredProperties/rms", "WRITE", EnumSet.of(ADMIN)),
            new Cell("thing", "/features/predictions/properties/anomalyScore", "WRITE", EnumSet.of(ANALYTICS, ADMIN)),
            new Cell("thing", "/features/simulation/properties/status", "WRITE", EnumSet.of(SIMULATION, ADMIN)),
            new Cell("thing", "/features", "WRITE", EnumSet.of(ADMIN)),
            new Cell("policy", "/", "READ", EnumSet.of(OPERATOR, ADMIN)),
            new Cell("policy", "/entries/ADMIN", "WRITE", EnumSet.of(ADMIN)),
            new Cell("message", "/inbox/messages/setSpeed", "WRITE", EnumSet.of(OPERATOR, ADMIN)),
            new Cell("message", "/inbox/messages/setSpeed", "READ", EnumSet.of(DEVICE, OPERATOR, ADMIN)),
            new Cell("message", "/features/simulation/inbox/messages/simulate", "WRITE", EnumSet.of(OPERATOR, ADMIN)),
            new Cell("message", "/features/simulation/inbox/messages/simulate", "READ", EnumSet.of(SIMULATION, OPERATOR, ADMIN)));

    private PolicyMatrix() {
    }

    /** The matrix as a table: a row per cell, a column per role, {@code allow}/{@code deny} as decided. */
    static String table(List<Cell> cells, java.util.function.BiPredicate<Cell, PolicyRole> decision) {
        StringBuilder table = new StringBuilder(String.format("%-62s", "request"));
        for (PolicyRole role : PolicyRole.values()) {
            table.append(String.format("%-11s", role));
        }
        table.append('\n');
        for (Cell cell : cells) {
            table.append(String.format("%-62s", cell.label()));
            for (PolicyRole role : PolicyRole.values()) {
                table.append(String.format("%-11s", decision.test(cell, role) ? "allow" : "deny"));
            }
            table.append('\n');
        }
        return table.toString();
    }
}
