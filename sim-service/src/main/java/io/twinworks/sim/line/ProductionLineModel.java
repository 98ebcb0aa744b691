package io.twinworks.sim.line;

import org.jspecify.annotations.Nullable;
import io.twinworks.sim.des.Process;
import io.twinworks.sim.des.Simulation;
import io.twinworks.sim.des.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A serial production line on the discrete-event engine: one process per machine (fetch a part from
 * the buffer before it, work on it, put it into the buffer after it), {@link Store}s of finite
 * capacity as buffers (a full buffer blocks the machine before it with its finished part, an empty
 * one starves the machine after it), an unlimited source and sink, and one breakdown process per
 * machine that {@linkplain Process#interrupt interrupts} the machine at exponential times to
 * failure and holds it down for an exponential repair time; an interrupted part is resumed where
 * it was (preemptive resume), a part waiting to be put or fetched stays where it was.
 *
 * <p>Failures are time-dependent: the failure clock runs whether the machine works, waits or is
 * blocked. A machine on its own therefore makes rate × MTTF/(MTTF+MTTR) parts per hour.
 *
 * <p><b>Bottleneck</b>: the utilisation method with down time counted (the "active share" of the
 * active-period method of Roser, Nakano and Tanaka): a machine is <em>active</em> while it works or
 * is down (it holds the line up) and inactive while it is starved or blocked (it waits for the
 * others); the machine with the highest active share waits least for the rest of the line, i.e. it
 * is the one the others wait for. Ties (within 1e-9, e.g. two machines that never wait, as with an
 * unlimited buffer) go to the longer mean active period, then to the lower isolated rate. The mean
 * active period alone (Roser's average active period) is reported too but not used: a fast machine
 * with frequent failures is chopped into short active periods by brief blocking and was misnamed
 * by it in our tests although it sets the pace.
 *
 * <p>Deterministic per seed: each machine draws cycle times and failures from its own split streams.
 */
public final class ProductionLineModel {

    private ProductionLineModel() {
    }

    /**
     * Runs the line for {@code horizonHours} and measures from {@code warmUpHours} on (the line starts
     * empty, which would bias the shares).
     */
    public static LineResult run(LineSpec line, double horizonHours, double warmUpHours, long seed) {
        Objects.requireNonNull(line, "line");
        if (!(horizonHours > 0) || !Double.isFinite(horizonHours)) {
            throw new IllegalArgumentException("horizonHours must be a finite number > 0: " + horizonHours);
        }
        if (!(warmUpHours >= 0) || warmUpHours >= horizonHours) {
            throw new IllegalArgumentException("warmUpHours must be within [0, horizonHours): " + warmUpHours);
        }
        Simulation simulation = new Simulation();
        int count = line.stations().size();
        List<Buffer> buffers = new ArrayList<>();
        for (int capacity : line.bufferCapacities()) {
            buffers.add(new Buffer(simulation, capacity, warmUpHours));
        }
        SplittableRandom root = new SplittableRandom(seed);
        List<Machine> machines = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Station station = line.stations().get(i);
            Machine machine = new Machine(simulation, station, i == 0 ? null : buffers.get(i - 1),
                    i == count - 1 ? null : buffers.get(i), root.split(), warmUpHours);
            machines.add(machine);
            simulation.activate(machine);
            if (station.fails()) {
                simulation.activate(new Breakdowns(simulation, machine, station, root.split()));
            }
        }
        simulation.run(horizonHours);

        List<LineResult.StationStats> stationStats = new ArrayList<>();
        for (Machine machine : machines) {
            stationStats.add(machine.finish());
        }
        List<LineResult.BufferStats> bufferStats = new ArrayList<>();
        for (Buffer buffer : buffers) {
            bufferStats.add(new LineResult.BufferStats(buffer.store.capacity(), buffer.meanLevel()));
        }
        double measured = horizonHours - warmUpHours;
        long produced = machines.get(count - 1).delivered;
        return new LineResult(produced / measured, produced, measured, stationStats, bufferStats,
                bottleneck(line, stationStats), simulation.events());
    }

    /**
     * The bottleneck: the highest active share (working + down); ties (within 1e-9) to the longer
     * mean active period, then to the lower isolated rate.
     */
    public static int bottleneck(LineSpec line, List<LineResult.StationStats> stations) {
        int best = 0;
        for (int i = 1; i < stations.size(); i++) {
            LineResult.StationStats candidate = stations.get(i);
            LineResult.StationStats current = stations.get(best);
            if (candidate.active() > current.active() + 1e-9) {
                best = i;
            } else if (candidate.active() >= current.active() - 1e-9) {
                double a = candidate.meanActivePeriodHours();
                double b = current.meanActivePeriodHours();
                if (a > b * (1 + 1e-9) || (a >= b * (1 - 1e-9)
                        && line.stations().get(i).isolatedRatePerHour() < line.stations().get(best).isolatedRatePerHour())) {
                    best = i;
                }
            }
        }
        return best;
    }

    static double exponential(SplittableRandom random, double mean) {
        return -Math.log(1.0 - random.nextDouble()) * mean;
    }

    /** A store with a time-weighted level statistic; every put/get is followed by {@link #observe()}. */
    private static final class Buffer {
        final Store<Object> store;
        final Simulation simulation;
        final double warmUp;
        double lastTime;
        int lastLevel;
        double levelIntegral;

        Buffer(Simulation simulation, int capacity, double warmUp) {
            this.simulation = simulation;
            this.store = new Store<>(capacity);
            this.warmUp = warmUp;
        }

        void observe() {
            double now = simulation.now();
            double from = Math.max(lastTime, warmUp);
            if (now > from) {
                levelIntegral += lastLevel * (now - from);
            }
            lastTime = now;
            lastLevel = store.size();
        }

        double meanLevel() {
            observe();
            return levelIntegral / (simulation.now() - warmUp);
        }
    }

    private enum State {
        STARVED, WORKING, BLOCKED, DOWN;

        boolean active() {
            return this == WORKING || this == DOWN;
        }
    }

    /** What the machine does next (its program counter), independent of being down. */
    private enum Phase {
        FETCH, WORK, PUT
    }

    private static final class Machine extends Process {
        private static final Object PART = new Object();

        private final Station station;
        /** The buffer it takes parts from; {@code null} for the first station (an endless supply). */
        private final @Nullable Buffer upstream;
        /** The buffer it puts parts into; {@code null} for the last station (an endless sink). */
        private final @Nullable Buffer downstream;
        private final SplittableRandom random;
        private final double warmUp;
        private final double[] time = new double[State.values().length];
        private Phase phase = Phase.FETCH;
        private State state = State.STARVED;
        private double lastChange;
        private double workEnd;
        private double remaining;
        private boolean repairing;
        private boolean started;
        private long activePeriods;
        private long failures;
        long delivered;

        Machine(Simulation simulation, Station station, @Nullable Buffer upstream, @Nullable Buffer downstream, SplittableRandom random, double warmUp) {
            super(simulation);
            this.station = station;
            this.upstream = upstream;
            this.downstream = downstream;
            this.random = random;
            this.warmUp = warmUp;
        }

        @Override
        protected void resume() {
            if (interrupted()) {
                // Breakdowns interrupt with the repair time
                failed((Double) Objects.requireNonNull(interruptCause(), "a breakdown gives its repair hours"));
                return;
            }
            if (!started) {
                started = true;
            } else if (repairing) {
                repairing = false;
            } else {
                // the wait of the current phase ended normally
                switch (state) {
                    case STARVED -> {
                        upstream().observe();
                        startWork();
                    }
                    case BLOCKED -> {
                        downstream().observe();
                        phase = Phase.FETCH;
                    }
                    case WORKING -> phase = Phase.PUT;
                    default -> throw new IllegalStateException("resumed while " + state);
                }
            }
            proceed();
        }

        /** The buffer a starved machine waits on: the first station has none and is never starved. */
        private Buffer upstream() {
            return Objects.requireNonNull(upstream, "the first station is never starved");
        }

        /** The buffer a blocked machine waits on: the last station has none and is never blocked. */
        private Buffer downstream() {
            return Objects.requireNonNull(downstream, "the last station is never blocked");
        }

        /** A breakdown: note what the interrupted wait achieved, then stay down for the repair. */
        private void failed(double repairHours) {
            switch (state) {
                case STARVED -> {
                    if (waitGranted()) {
                        upstream().observe();
                        startWork();
                    }
                }
                case BLOCKED -> {
                    if (waitGranted()) {
                        downstream().observe();
                        phase = Phase.FETCH;
                    }
                }
                case WORKING -> remaining = workEnd - now();
                default -> throw new IllegalStateException("failed while " + state);
            }
            if (now() >= warmUp) {
                failures++;
            }
            enter(State.DOWN);
            repairing = true;
            hold(repairHours);
        }

        private void startWork() {
            phase = Phase.WORK;
            remaining = station.cycleTime() == Station.CycleTime.DETERMINISTIC
                    ? 1 / station.ratePerHour() : exponential(random, 1 / station.ratePerHour());
        }

        /** Makes progress until the machine has to wait. */
        private void proceed() {
            while (true) {
                switch (phase) {
                    case FETCH -> {
                        if (upstream == null) {
                            startWork();
                        } else if (get(upstream.store)) {
                            upstream.observe();
                            startWork();
                        } else {
                            enter(State.STARVED);
                            return;
                        }
                    }
                    case WORK -> {
                        enter(State.WORKING);
                        workEnd = now() + remaining;
                        hold(remaining);
                        return;
                    }
                    case PUT -> {
                        if (downstream == null) {
                            if (now() >= warmUp) {
                                delivered++;
                            }
                            phase = Phase.FETCH;
                        } else if (put(downstream.store, PART)) {
                            downstream.observe();
                            phase = Phase.FETCH;
                        } else {
                            enter(State.BLOCKED);
                            return;
                        }
                    }
                    default -> throw new IllegalStateException("phase " + phase);
                }
            }
        }

        private void enter(State next) {
            account();
            if (state.active() && !next.active() && now() >= warmUp) {
                activePeriods++;
            }
            state = next;
        }

        private void account() {
            double now = now();
            double from = Math.max(lastChange, warmUp);
            if (now > from) {
                time[state.ordinal()] += now - from;
            }
            lastChange = now;
        }

        LineResult.StationStats finish() {
            account();
            double total = 0;
            for (double t : time) {
                total += t;
            }
            long periods = activePeriods + (state.active() ? 1 : 0);
            double active = time[State.WORKING.ordinal()] + time[State.DOWN.ordinal()];
            return new LineResult.StationStats(station.name(), time[State.WORKING.ordinal()] / total,
                    time[State.BLOCKED.ordinal()] / total, time[State.STARVED.ordinal()] / total,
                    time[State.DOWN.ordinal()] / total, periods == 0 ? 0 : active / periods, failures);
        }
    }

    /** Fails its machine at exponential times and repairs it in exponential times. */
    private static final class Breakdowns extends Process {
        private final Machine machine;
        private final Station station;
        private final SplittableRandom random;
        private boolean started;
        private boolean repairing;

        Breakdowns(Simulation simulation, Machine machine, Station station, SplittableRandom random) {
            super(simulation);
            this.machine = machine;
            this.station = station;
            this.random = random;
        }

        @Override
        protected void resume() {
            if (!started || repairing) {
                started = true;
                repairing = false;
                hold(exponential(random, station.mttfHours()));
                return;
            }
            double repair = exponential(random, station.mttrHours());
            machine.interrupt(repair);
            repairing = true;
            hold(repair);
        }
    }
}
