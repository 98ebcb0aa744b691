package io.twinworks.definitions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * Not a test of behaviour: the bench reading's WoT check (rms, seq, ts of the vibration sensor) with the direct checks
 * (B) and with the validator alone (A), thread CPU per reading, in turns A/B/B/A in one JVM. Runs only when asked:
 * {@code -Dtwinworks.harness=true}. Nothing is asserted on time.
 */
@EnabledIfSystemProperty(named = "twinworks.harness", matches = "true")
class PropertySchemasCpuHarness {

    @Test
    void checkOfAReading() {
        ThingModel model = ThingModelCatalog.fromClasspath().require("vibration-sensor");
        JsonNode rms = model.properties().get("rms");
        JsonNode seq = model.properties().get("seq");
        JsonNode ts = model.properties().get("ts");
        PropertySchemas validatorOnly = new PropertySchemas(false);
        PropertySchemas direct = new PropertySchemas();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Runnable[] checks = new Runnable[2];
        int[] seqNo = {0};
        for (int i = 0; i < 2; i++) {
            PropertySchemas schemas = i == 0 ? validatorOnly : direct;
            checks[i] = () -> {
                int n = seqNo[0]++;
                schemas.check("rms", rms, nodes.numberNode(2.0 + (n % 10) * 0.01), "/p/rms", "rms");
                schemas.check("seq", seq, nodes.numberNode(n), "/p/seq", "seq");
                schemas.check("ts", ts, nodes.textNode("2026-12-07T06:00:00.123456789Z"), "/p/ts", "ts");
            };
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] perCall = new double[2];
        int[] order = {0, 1, 1, 0, 0, 1, 1, 0};
        int calls = 50_000;
        for (int warm = 0; warm < 2 * calls; warm++) {
            checks[warm % 2].run();
        }
        for (int turn : order) {
            long before = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < calls; i++) {
                checks[turn].run();
            }
            perCall[turn] += (threads.getCurrentThreadCpuTime() - before) / 1000.0 / calls / 4;
        }
        System.out.printf(Locale.ROOT, "WoT check of a reading (rms, seq, ts): A (validator) %.2f us, B (direct checks) "
                + "%.2f us (B/A %.2f)%n", perCall[0], perCall[1], perCall[1] / perCall[0]);
    }
}
