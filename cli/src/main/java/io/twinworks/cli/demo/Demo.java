package io.twinworks.cli.demo;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.twinworks.analytics.AnalyticsConfig;
import io.twinworks.analytics.AnalyticsService;
import io.twinworks.cli.provision.ProvisionStep;
import io.twinworks.cli.provision.ProvisionTargets;
import io.twinworks.cli.provision.Provisioner;
import io.twinworks.connections.HonoConnectionType;
import io.twinworks.definitions.ModelsBaseUrl;
import io.twinworks.definitions.ThingModelCatalog;
import io.twinworks.localstack.LocalStack;
import io.twinworks.localstack.LocalStackConfig;
import io.twinworks.localstack.LocalStackEndpoints;
import io.twinworks.policies.PolicyRole;
import io.twinworks.policies.PolicySubjects;
import io.twinworks.policies.PolicyTemplates;
import io.twinworks.sim.SimConfig;
import io.twinworks.sim.SimService;
import io.twinworks.sim.fleet.VirtualFleet;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.PrintWriter;
import java.net.URI;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The demo on a running local stack, built from the product's own pieces: the {@link Provisioner}
 * registers the pumps in Hono's device registry and creates their policies (role templates) and
 * twins (Thing Model skeletons with {@code definition}); the analytics service (subject
 * {@code nginx:<analytics user>}) writes {@code /features/predictions}; the simulation service
 * (subject {@code nginx:<sim user>}) answers {@code simulate} live messages and writes
 * {@code /features/simulation}; the simulation service's {@link VirtualFleet} plays the pumps
 * (physics models, every third with a bearing defect) over the Hono MQTT contract.
 */
public final class Demo {

    /** The quick model trains in about a minute; beyond this, Vert.x reports the training thread as blocked. */
    private static final java.time.Duration TRAINING_TIME_LIMIT = java.time.Duration.ofMinutes(30);

    /**
     * How the virtual pumps run.
     *
     * @param timeScale     model seconds per wall-clock second
     * @param defectAtHours model hours after which the degrading pumps get their bearing defect
     * @param ratePerPump   readings per second per pump
     */
    public record FleetSettings(double timeScale, double defectAtHours, double ratePerPump) {
        /** Defaults: the degrading pump crosses the 4.5 mm/s alarm about 2 minutes after the start. */
        public static final FleetSettings DEFAULT = new FleetSettings(20, 0.5, 1);

        public FleetSettings {
            if (!(timeScale > 0) || timeScale > 10_000) {
                throw new IllegalArgumentException("time scale must be within (0, 10000]: " + timeScale);
            }
            if (!(defectAtHours >= 0)) {
                throw new IllegalArgumentException("defect time must be >= 0 hours: " + defectAtHours);
            }
            if (!(ratePerPump > 0) || ratePerPump > 100) {
                throw new IllegalArgumentException("rate must be within (0, 100] readings/s per pump: " + ratePerPump);
            }
        }
    }

    /** Recorded C-MAPSS cycles the demo engine replays per second (a unit of 259 cycles lasts about two minutes). */
    public static final double ENGINE_CYCLES_PER_SECOND = 2;

    /** The pumps start at operating temperature (about ten thermal time constants of warm-up), not cold. */
    public static final double WARM_UP_HOURS = 3;

    private final Vertx vertx;
    private final LocalStack stack;
    private final LocalStackConfig stackConfig;
    private final AnalyticsConfig analyticsConfig;
    private final SimConfig simConfig;
    private final List<DemoDevice> pumps;
    private final FleetSettings fleetSettings;
    private final PrintWriter out;
    private DemoTwins twins;
    private VirtualFleet fleet;
    private io.twinworks.sim.fleet.ReplayedEngine engine;
    private final DemoDevice engineDevice = DemoPlant.engine();
    private AnalyticsService analytics;
    private SimService simulation;

    /**
     * @param stackConfig     the stack's config as started (with the service users, see {@link #withServiceUsers})
     * @param analyticsConfig the analytics service's config (its Ditto user must exist in the stack)
     * @param simConfig       the simulation service's config (its Ditto user must exist in the stack)
     */
    public Demo(Vertx vertx, LocalStack stack, LocalStackConfig stackConfig, AnalyticsConfig analyticsConfig,
                SimConfig simConfig, List<DemoDevice> pumps, FleetSettings fleetSettings, PrintWriter out) {
        this.vertx = Objects.requireNonNull(vertx, "vertx");
        this.stack = Objects.requireNonNull(stack, "stack");
        this.stackConfig = Objects.requireNonNull(stackConfig, "stackConfig");
        this.analyticsConfig = Objects.requireNonNull(analyticsConfig, "analyticsConfig");
        this.simConfig = Objects.requireNonNull(simConfig, "simConfig");
        this.pumps = List.copyOf(pumps);
        this.fleetSettings = Objects.requireNonNull(fleetSettings, "fleetSettings");
        this.out = Objects.requireNonNull(out, "out");
    }

    /** The stack config with the analytics service's Ditto user added (the demo runs both in one JVM). */
    public static LocalStackConfig withAnalyticsUser(LocalStackConfig config, AnalyticsConfig analytics) {
        Map<String, String> users = new HashMap<>(config.dittoUsers());
        users.putIfAbsent(analytics.dittoUser(), analytics.dittoPassword());
        return config.withDitto(config.dittoHttpPort(), users);
    }

    /** The stack config with the simulation service's Ditto user added. */
    public static LocalStackConfig withSimulationUser(LocalStackConfig config, SimConfig simulation) {
        Map<String, String> users = new HashMap<>(config.dittoUsers());
        users.putIfAbsent(simulation.dittoUser(), simulation.dittoPassword());
        return config.withDitto(config.dittoHttpPort(), users);
    }

    /** The stack config with both service users added. */
    public static LocalStackConfig withServiceUsers(LocalStackConfig config, AnalyticsConfig analytics, SimConfig simulation) {
        return withSimulationUser(withAnalyticsUser(config, analytics), simulation);
    }

    /** The operator: the first Ditto user that is neither service's (Ditto's default {@code ditto}). */
    public Map.Entry<String, String> operator() {
        Set<String> services = Set.of(analyticsConfig.dittoUser(), simConfig.dittoUser());
        return stackConfig.dittoUsers().entrySet().stream()
                .filter(user -> !services.contains(user.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .findFirst().orElseThrow(() -> new IllegalStateException("no Ditto user besides the service users"));
    }

    /** The policy subjects per role of the demo's twins. */
    public PolicySubjects subjects() {
        return subjects(stackConfig.dittoHonoSubjects(), "nginx:" + analyticsConfig.dittoUser(),
                "nginx:" + simConfig.dittoUser(), "nginx:" + operator().getKey());
    }

    /** Provisions the plant, starts analytics, the simulation service and the fleet. */
    public Future<Void> start(LocalStackEndpoints endpoints) {
        Map.Entry<String, String> operator = operator();
        URI dittoUrl = URI.create(endpoints.dittoUrl());
        URI websocket = URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws"));
        twins = new DemoTwins(vertx, dittoUrl, operator.getKey(), operator.getValue());
        return provision(vertx, endpoints, operator.getKey(), operator.getValue(), pumps, List.of(engineDevice), subjects())
                .onSuccess(steps -> out.println("  demo: provisioned " + pumps.size() + " pumps, 1 turbofan engine and production line "
                        + DemoPlant.TENANT + ":" + DemoPlant.LINE_NAME + " of tenant " + DemoPlant.TENANT
                        + " (" + steps.stream().filter(ProvisionStep::changes).count() + " changes: Hono tenant/devices/credentials,"
                        + " Ditto policies from the role templates, twins from the " + DemoPlant.PUMP_MODEL + ", "
                        + DemoPlant.ENGINE_MODEL + " and " + DemoPlant.LINE_MODEL + " Thing Models)"))
                .compose(steps -> {
                    analytics = analyticsOn(vertx, analyticsConfig, endpoints);
                    return analytics.start();
                })
                .onSuccess(analyticsUp -> trainRulModelIfNone())
                .compose(analyticsUp -> {
                    simulation = new SimService(vertx, simConfig.withDitto(websocket, simConfig.dittoUser(), simConfig.dittoPassword()),
                            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
                    return simulation.start();
                })
                .compose(simUp -> vertx.executeBlocking(() -> {
                    // connecting the MQTT clients blocks: never on the event loop
                    fleet = new VirtualFleet(endpoints.mqttUri(), DemoPlant.TENANT,
                            DemoPlant.fleet(pumps, fleetSettings.defectAtHours()), List.of(),
                            fleetSettings.ratePerPump(), fleetSettings.timeScale(), WARM_UP_HOURS);
                    fleet.start();
                    engine = new io.twinworks.sim.fleet.ReplayedEngine(endpoints.mqttUri(), DemoPlant.TENANT,
                            new io.twinworks.sim.fleet.ReplayedEngine.FleetDevice(engineDevice.deviceId(), engineDevice.authId(),
                                    engineDevice.password()),
                            io.twinworks.sim.fleet.ReplayedEngine.recordedUnit(io.twinworks.sim.fleet.ReplayedEngine.FD001_RESOURCE,
                                    DemoPlant.REPLAYED_UNIT), ENGINE_CYCLES_PER_SECOND);
                    engine.start();
                    return null;
                }, false))
                .onSuccess(v -> out.println("  demo: " + pumps.size() + " virtual pumps (physics models, time x"
                        + fleetSettings.timeScale() + ", started warm, bearing defect on " + degradingNames() + " after "
                        + fleetSettings.defectAtHours() + " h) publish " + fleetSettings.ratePerPump() + "/s each;"
                        + " analytics writes /features/predictions as nginx:" + analyticsConfig.dittoUser()
                        + ", 'simulate' messages to /features/simulation are answered as nginx:" + simConfig.dittoUser()
                        + "; " + engineDevice.deviceId() + " replays recorded C-MAPSS FD001 unit " + DemoPlant.REPLAYED_UNIT
                        + " (run to failure) at " + ENGINE_CYCLES_PER_SECOND + " cycles/s, RUL from the newest model in "
                        + analyticsConfig.modelDir()))
                .mapEmpty();
    }

    /**
     * The analytics service wired to the stack's Ditto API ({@code /ws/2}) as its own Ditto user, with
     * meters of its own; not started. The demo and {@code bench soak} run it this way.
     */
    public static AnalyticsService analyticsOn(Vertx vertx, AnalyticsConfig analyticsConfig, LocalStackEndpoints endpoints) {
        URI websocket = URI.create(endpoints.dittoUrl().replaceFirst("^http", "ws"));
        return new AnalyticsService(vertx, analyticsConfig.withDitto(websocket, analyticsConfig.dittoUser(),
                analyticsConfig.dittoPassword()), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    /**
     * A demo without a RUL model would show no remaining useful life: when the model directory has
     * none, one is trained in the background on a worker ({@link DemoRulModel}, fewer epochs than
     * {@code twinworks train rul}); the analytics service's model watcher loads it.
     */
    private void trainRulModelIfNone() {
        java.nio.file.Path models = analyticsConfig.modelDir();
        try {
            if (io.twinworks.analytics.ml.RulModel.latest(models).isPresent()) {
                return;
            }
        } catch (java.io.IOException e) {
            out.println("  demo: cannot list the model directory " + models.toAbsolutePath() + " (" + e.getMessage() + "): no RUL training");
            return;
        }
        out.println("  demo: no RUL model in " + models.toAbsolutePath() + ": training a quick one in the background ("
                + DemoRulModel.EPOCHS + " epochs on the committed C-MAPSS FD001 units except unit " + DemoPlant.REPLAYED_UNIT
                + "; 'twinworks train rul' trains the full model); RUL appears once it is loaded");
        // minutes of DL4J on a named executor of its own: on Vert.x's shared worker pool it would park a
        // worker the stack needs and trip the blocked-thread checker (a stack trace a minute on the console)
        io.vertx.core.WorkerExecutor training = vertx.createSharedWorkerExecutor("twinworks-demo-rul-training", 1,
                TRAINING_TIME_LIMIT.toMinutes(), java.util.concurrent.TimeUnit.MINUTES);
        training.<io.twinworks.analytics.ml.RulTraining.Result>executeBlocking(
                        () -> DemoRulModel.train(models, DemoPlant.REPLAYED_UNIT, DemoRulModel.EPOCHS), false)
                .onComplete(done -> training.close())
                .onSuccess(result -> {
                    out.println(String.format(java.util.Locale.ROOT, "  demo: RUL model %s trained in %d s (validation RMSE %.2f cycles);"
                            + " analytics loads it", result.directory(), result.took().toSeconds(), result.validationRmse()));
                    if (analytics != null) {
                        analytics.reloadModels();
                    }
                })
                .onFailure(e -> out.println("  demo: training the RUL model failed: " + e));
    }

    /**
     * Provisions demo devices on a local stack with the {@link Provisioner}, as {@code twinworks
     * provision} does with a plant file: Hono tenant, devices and credentials, Ditto policies from the
     * role templates and twins from the pump's Thing Model.
     *
     * @param user     a Ditto user that is an admin subject ({@code nginx:<user>}) in {@code subjects}
     * @param password its password
     */
    public static Future<List<ProvisionStep>> provision(Vertx vertx, LocalStackEndpoints endpoints, String user, String password,
                                                        List<DemoDevice> devices, PolicySubjects subjects) {
        return provision(vertx, endpoints, user, password, devices, List.of(), subjects);
    }

    /** As {@link #provision(Vertx, LocalStackEndpoints, String, String, List, PolicySubjects)}, plus turbofan engines. */
    public static Future<List<ProvisionStep>> provision(Vertx vertx, LocalStackEndpoints endpoints, String user, String password,
                                                        List<DemoDevice> devices, List<DemoDevice> engines, PolicySubjects subjects) {
        // definitions name the models where the stack serves them, so its twin service downloads them as Ditto would
        ThingModelCatalog catalog = ThingModelCatalog.fromClasspath().rebased(ModelsBaseUrl.parse(endpoints.modelsBaseUrl()));
        // the local stack lists its built-in Hono connection on /api/2/connections: the connection step finds it there
        Provisioner provisioner = new Provisioner(vertx, new ProvisionTargets(URI.create(endpoints.dittoUrl()), user, password,
                user, password, URI.create(endpoints.registryUrl()), null, null),
                catalog, PolicyTemplates.fromClasspath(catalog), HonoConnectionType.KAFKA);
        return provisioner.provision(DemoPlant.plant(devices, engines, subjects), false)
                .andThen(done -> provisioner.close());
    }

    /** Policy subjects for demo devices: the stack's Hono connection, the given services and one operator/admin. */
    public static PolicySubjects subjects(List<String> deviceSubjects, String analyticsSubject, String simulationSubject,
                                          String operatorSubject) {
        Map<PolicyRole, List<String>> byRole = new EnumMap<>(PolicyRole.class);
        byRole.put(PolicyRole.DEVICE, deviceSubjects);
        byRole.put(PolicyRole.ANALYTICS, List.of(analyticsSubject));
        byRole.put(PolicyRole.SIMULATION, List.of(simulationSubject));
        byRole.put(PolicyRole.OPERATOR, List.of(operatorSubject));
        byRole.put(PolicyRole.ADMIN, List.of(operatorSubject));
        return new PolicySubjects(byRole);
    }

    private List<String> degradingNames() {
        return pumps.stream().filter(DemoPlant::degrading).map(DemoDevice::name).toList();
    }

    /** Prints one status block: the MQTT and fleet counters and a line per twin. */
    public Future<Void> printStatus() {
        List<DemoDevice> devices = new java.util.ArrayList<>(pumps);
        devices.add(engineDevice);
        return twins.read(devices).map(things -> {
            out.println(formatStatus(stack.mqttStatus().toStatusLine() + " | fleet: " + fleet.acknowledged() + " acknowledged, "
                    + fleet.failed() + " failed | engine: " + (engine == null ? 0 : engine.acknowledged()) + " cycles", things));
            out.flush();
            return null;
        });
    }

    /** The status block for a list of twins as {@link DemoTwins#read} returns them. */
    static String formatStatus(String countersLine, JsonArray things) {
        StringBuilder text = new StringBuilder(countersLine).append(System.lineSeparator());
        text.append(String.format("  %-16s %6s %9s %8s %-9s %7s %12s %7s", "twin", "rev", "vib rms", "temp", "health", "anomaly",
                "what-if ttt", "rul"));
        for (Object item : things) {
            text.append(System.lineSeparator()).append(row((JsonObject) item));
        }
        return text.toString();
    }

    private static String row(JsonObject thing) {
        JsonObject features = thing.getJsonObject("features", new JsonObject());
        JsonObject vibration = properties(features, "vibration");
        JsonObject predictions = properties(features, "predictions");
        JsonObject simulation = properties(features, "simulation");
        Object timeToThreshold = simulation.getValue("timeToThresholdHours");
        String whatIf = simulation.getValue("computedAt") == null ? "-"
                : timeToThreshold instanceof Number hours ? String.format("%.1f h", hours.doubleValue()) : "not crossed";
        Object rul = predictions.getValue("rulCycles");
        return String.format("  %-16s %6s %9s %8s %-9s %7s %12s %7s", thing.getString("thingId"), thing.getValue("_revision", "-"),
                vibration.getValue("rms", "-"), properties(features, "temperature").getValue("value", "-"),
                predictions.getString("healthState", "-"), predictions.getValue("anomalyScore", "-"), whatIf,
                rul instanceof Number cycles ? String.format("%.0f", cycles.doubleValue()) : "-");
    }

    private static JsonObject properties(JsonObject features, String feature) {
        return features.getJsonObject(feature, new JsonObject()).getJsonObject("properties", new JsonObject());
    }

    /** Stops the fleet, the simulation service and analytics (the stack is stopped by its owner). */
    public Future<Void> stop() {
        if (twins != null) {
            twins.close();
        }
        // closing the MQTT clients waits for their disconnects: never on the event loop
        Future<Void> fleetStopped = fleet == null && engine == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            if (engine != null) {
                engine.close();
            }
            if (fleet != null) {
                fleet.close();
            }
            return null;
        }, false);
        return fleetStopped
                .eventually(() -> simulation == null ? Future.succeededFuture() : simulation.stop())
                .eventually(() -> analytics == null ? Future.succeededFuture() : analytics.stop());
    }

    /** The twins as the operator reads them now. */
    public Future<JsonArray> readTwins() {
        return twins.read(pumps);
    }

    /** The twin of the demo's turbofan engine as the operator reads it now. */
    public Future<JsonObject> readEngine() {
        return twins.read(List.of(engineDevice)).map(things -> things.getJsonObject(0));
    }

    /** The demo's turbofan engine device. */
    public DemoDevice engineDevice() {
        return engineDevice;
    }

    /** The demo's pumps. */
    public List<DemoDevice> pumps() {
        return pumps;
    }

    /** The fleet's counters (acknowledged, failed), for status and tests. */
    public VirtualFleet fleet() {
        return fleet;
    }
}
