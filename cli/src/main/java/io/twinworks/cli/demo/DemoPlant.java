package io.twinworks.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.twinworks.cli.provision.plant.Plant;
import io.twinworks.cli.provision.plant.PlantAsset;
import io.twinworks.cli.provision.plant.PlantConnection;
import io.twinworks.policies.PolicySubjects;
import io.twinworks.sim.fleet.FleetAsset;
import io.twinworks.sim.model.Fault;
import io.twinworks.sim.model.FaultType;
import io.twinworks.sim.model.PumpParameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The demo plant: one Hono tenant with a few pumps, every third of which wears fast enough to raise
 * an alarm within minutes. The single source of the plant the demo provisions and of its fleet.
 */
public final class DemoPlant {

    /** The demo's Hono tenant and Ditto namespace. */
    public static final String TENANT = "plant.a";
    /** The Thing Model of the demo pumps. */
    public static final String PUMP_MODEL = "centrifugal-pump";
    /** Wear rate of a fast-wearing demo pump (see {@link #pumps}). */
    public static final double FAST_WEAR_PER_MINUTE = 0.08;
    /**
     * Bearing wear per operating hour of a degrading pump's model. With {@link #DEFECT_SEVERITY} and the
     * defect at 0.5 h (the demo's default), vibration crosses 4.5 mm/s 0.72 model hours after the defect
     * and the worn-out bearing trips the pump 1.73 h after it: at the demo's 20x clock the alarm comes
     * about 3.7 minutes and the trip about 6.7 minutes after the start (then a repair 3 minutes later,
     * and the defect returns).
     */
    public static final double DEGRADING_WEAR_PER_HOUR = 0.06;
    /** Severity of a degrading pump's bearing defect (its vibration jumps by 1.5 mm/s at once). */
    public static final double DEFECT_SEVERITY = 1.0;
    /** The Thing Model of the demo's production line. */
    public static final String LINE_MODEL = "production-line";
    /** The demo line's name (thing {@code plant.a:line-1}). */
    public static final String LINE_NAME = "line-1";

    /** The Thing Model of the demo's turbofan engine. */
    public static final String ENGINE_MODEL = "turbofan-engine";
    /** The C-MAPSS FD001 unit the demo engine replays (259 cycles to failure; a validation unit of {@code train rul}'s defaults). */
    public static final int REPLAYED_UNIT = 7;

    private DemoPlant() {
    }

    /** The first {@code count} demo pumps; every third one wears fast. */
    public static List<DemoDevice> pumps(int count) {
        if (count < 1 || count > 10_000) {
            throw new IllegalArgumentException("demo device count must be within [1, 10000]: " + count);
        }
        List<DemoDevice> pumps = new ArrayList<>(count);
        for (int number = 1; number <= count; number++) {
            double wearPerMinute = number % 3 == 0 ? FAST_WEAR_PER_MINUTE : 0.002 * number;
            pumps.add(new DemoDevice(TENANT, TENANT + ":pump-" + number, "pump-" + number,
                    "demo-secret-" + number, wearPerMinute));
        }
        return pumps;
    }

    /** The demo's turbofan engine: it replays C-MAPSS unit {@value #REPLAYED_UNIT} (see {@code ReplayedEngine}). */
    public static DemoDevice engine() {
        return new DemoDevice(TENANT, TENANT + ":engine-1", "engine-1", "demo-engine-secret-1", 0);
    }

    /** Whether a demo pump is one of the fast-wearing ones (every third). */
    public static boolean degrading(DemoDevice device) {
        return device.wearPerMinute() >= FAST_WEAR_PER_MINUTE;
    }

    /**
     * The demo as a plant for the {@link io.twinworks.cli.provision.Provisioner}: one centrifugal pump
     * per device (MQTT binding, the device's credentials), policies with the given subjects per role.
     * The connection settings only matter for real Ditto (the local stack's Hono connection is built in).
     */
    public static Plant plant(List<DemoDevice> devices, PolicySubjects subjects) {
        return plant(devices, List.of(), subjects);
    }

    /** As {@link #plant(List, PolicySubjects)}, plus turbofan engines (Thing Model {@value #ENGINE_MODEL}, MQTT binding). */
    public static Plant plant(List<DemoDevice> devices, List<DemoDevice> engines, PolicySubjects subjects) {
        List<PlantAsset> assets = new ArrayList<>();
        JsonNodeFactory json = JsonNodeFactory.instance;
        for (DemoDevice engine : engines) {
            if (!engine.tenantId().equals(TENANT) || !engine.namespace().equals(TENANT)) {
                throw new IllegalArgumentException("demo devices belong to tenant and namespace " + TENANT + ": " + engine.deviceId());
            }
            Map<String, JsonNode> attributes = Map.of("tenant", json.textNode(TENANT),
                    "engineModel", json.textNode("C-MAPSS FD001 (recorded unit " + REPLAYED_UNIT + ", replayed)"),
                    "unit", json.numberNode(REPLAYED_UNIT));
            assets.add(new PlantAsset(engine.name(), ENGINE_MODEL, attributes, engine.authId(), engine.password(),
                    json.objectNode().set("mqtt", json.objectNode())));
        }
        for (DemoDevice device : devices) {
            if (!device.tenantId().equals(TENANT) || !device.namespace().equals(TENANT)) {
                throw new IllegalArgumentException("demo devices belong to tenant and namespace " + TENANT + ": " + device.deviceId());
            }
            // as PlantFile fills it in: the model requires the tenant attribute
            // the wear rate its virtual pump wears at, so that a what-if runs the twin forward like the fleet does
            double wearPerHour = degrading(device) ? DEGRADING_WEAR_PER_HOUR : PumpParameters.STANDARD.wearPerHour();
            Map<String, JsonNode> attributes = Map.of("tenant", json.textNode(TENANT),
                    "location", json.textNode(degrading(device) ? "hall 2" : "hall 1"),
                    "ratedFlow", json.numberNode(120), "ratedHead", json.numberNode(45),
                    "model", json.objectNode().put("wearPerHour", wearPerHour));
            JsonNode binding = json.objectNode().set("mqtt", json.objectNode());
            assets.add(new PlantAsset(device.name(), PUMP_MODEL, attributes, device.authId(), device.password(), binding));
        }
        assets.add(line());
        String analytics = subjects.of(io.twinworks.policies.PolicyRole.ANALYTICS).isEmpty() ? "nginx:analytics"
                : subjects.of(io.twinworks.policies.PolicyRole.ANALYTICS).get(0);
        return new Plant(TENANT, TENANT, subjects, new PlantConnection("hono-" + TENANT.replaceAll("[^a-zA-Z0-9_:-]", "-"), "kafka:9092",
                "twinworks.twin-events", analytics), assets);
    }

    /**
     * The demo's production line (as in {@code plants/demo.yaml}): three stations with failure and
     * repair data and two buffers, for {@code simulate} messages to its {@code simulation} feature
     * (throughput, utilisation per station, bottleneck). Its Hono device would be the line's
     * controller reporting counts; the fleet does not play it.
     */
    public static PlantAsset line() {
        JsonNodeFactory json = JsonNodeFactory.instance;
        var stations = json.arrayNode();
        stations.addObject().put("name", "feed").put("asset", TENANT + ":pump-1").put("ratePerHour", 60)
                .put("mttfHours", 40).put("mttrHours", 1.5);
        stations.addObject().put("name", "mixer").put("asset", TENANT + ":pump-2").put("ratePerHour", 45)
                .put("cycleTime", "exponential").put("mttfHours", 20).put("mttrHours", 2);
        stations.addObject().put("name", "filler").put("asset", TENANT + ":pump-3").put("ratePerHour", 55)
                .put("mttfHours", 60).put("mttrHours", 0.5);
        Map<String, JsonNode> attributes = Map.of("tenant", json.textNode(TENANT), "location", json.textNode("hall 1"),
                "assets", json.arrayNode().add(TENANT + ":pump-1").add(TENANT + ":pump-2").add(TENANT + ":pump-3"),
                "stations", stations, "buffers", json.arrayNode().add(20).add(10));
        return new PlantAsset(LINE_NAME, LINE_MODEL, attributes, LINE_NAME, "demo-secret-" + LINE_NAME,
                json.objectNode().set("mqtt", json.objectNode()));
    }

    /**
     * The demo devices as virtual pumps of the simulation service's fleet: physics models with the
     * standard pump; the fast-wearing ones wear at {@value #DEGRADING_WEAR_PER_HOUR}/h and get a
     * bearing defect after {@code defectAtHours} of model time.
     */
    public static List<FleetAsset> fleet(List<DemoDevice> devices, double defectAtHours) {
        List<FleetAsset> assets = new ArrayList<>(devices.size());
        for (int index = 0; index < devices.size(); index++) {
            DemoDevice device = devices.get(index);
            boolean degrading = degrading(device);
            PumpParameters parameters = degrading ? PumpParameters.STANDARD.withWearPerHour(DEGRADING_WEAR_PER_HOUR)
                    : PumpParameters.STANDARD;
            List<Fault> faults = degrading
                    ? List.of(Fault.process(FaultType.BEARING_DEFECT, defectAtHours, DEFECT_SEVERITY)) : List.of();
            assets.add(new FleetAsset(device.deviceId(), device.authId(), device.password(), parameters, faults, index + 1L));
        }
        return assets;
    }

    /**
     * The devices as virtual pumps that all run healthy: the standard pump, no fast wear, no fault (a
     * plant's normal traffic, e.g. the background of a benchmark).
     */
    public static List<FleetAsset> healthyFleet(List<DemoDevice> devices) {
        List<FleetAsset> assets = new ArrayList<>(devices.size());
        for (int index = 0; index < devices.size(); index++) {
            DemoDevice device = devices.get(index);
            assets.add(new FleetAsset(device.deviceId(), device.authId(), device.password(), PumpParameters.STANDARD, List.of(),
                    index + 1L));
        }
        return assets;
    }
}
