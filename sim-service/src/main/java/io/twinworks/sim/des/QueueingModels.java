package io.twinworks.sim.des;

import java.util.SplittableRandom;

/**
 * Queueing models on the engine (and their analytic counterparts), as in SimPy's classic bank
 * example: a source creates customers with exponential inter-arrival times, each customer requests
 * one of {@code c} servers, waits in FIFO order, is served for an exponential time and leaves.
 */
public final class QueueingModels {

    private QueueingModels() {
    }

    /**
     * The outcome of an M/M/c run.
     *
     * @param customers   customers served
     * @param meanWait    mean time in queue (Wq)
     * @param utilisation time-averaged share of busy servers
     * @param events      engine events processed
     * @param endTime     simulation time at the last departure
     */
    public record QueueResult(long customers, double meanWait, double utilisation, long events, double endTime) {
    }

    /**
     * Runs an M/M/c queue until {@code customers} customers have been served.
     *
     * @param arrivalRate λ
     * @param serviceRate μ per server
     * @param servers     c
     * @param seed        seed of inter-arrival and service times (one stream, drawn in event order)
     */
    public static QueueResult mmc(double arrivalRate, double serviceRate, int servers, long customers, long seed) {
        if (!(arrivalRate > 0) || !(serviceRate > 0) || servers < 1 || customers < 1) {
            throw new IllegalArgumentException("need λ > 0, μ > 0, c >= 1, customers >= 1");
        }
        Simulation simulation = new Simulation();
        Resource counter = new Resource(simulation, servers);
        Statistics statistics = new Statistics();
        SplittableRandom random = new SplittableRandom(seed);
        simulation.activate(new Source(simulation, counter, statistics, random, arrivalRate, serviceRate, customers));
        simulation.run();
        return new QueueResult(statistics.served, statistics.waitSum / statistics.served, counter.utilisation(),
                simulation.events(), simulation.now());
    }

    /** Analytic mean waiting time in queue of M/M/c (Erlang C); requires λ < c·μ. */
    public static double analyticMeanWait(double arrivalRate, double serviceRate, int servers) {
        double offered = arrivalRate / serviceRate;
        double rho = offered / servers;
        if (rho >= 1) {
            throw new IllegalArgumentException("unstable queue: ρ = " + rho);
        }
        double term = 1;
        double sum = 1;
        for (int k = 1; k < servers; k++) {
            term *= offered / k;
            sum += term;
        }
        double last = term * offered / servers / (1 - rho);
        double erlangC = last / (sum + last);
        return erlangC / (servers * serviceRate - arrivalRate);
    }

    static double exponential(SplittableRandom random, double rate) {
        return -Math.log(1.0 - random.nextDouble()) / rate;
    }

    private static final class Statistics {
        long served;
        double waitSum;
    }

    private static final class Source extends Process {
        private final Resource counter;
        private final Statistics statistics;
        private final SplittableRandom random;
        private final double arrivalRate;
        private final double serviceRate;
        private final long customers;
        private long created;

        Source(Simulation simulation, Resource counter, Statistics statistics, SplittableRandom random,
               double arrivalRate, double serviceRate, long customers) {
            super(simulation);
            this.counter = counter;
            this.statistics = statistics;
            this.random = random;
            this.arrivalRate = arrivalRate;
            this.serviceRate = serviceRate;
            this.customers = customers;
        }

        @Override
        protected void resume() {
            if (created == customers) {
                return;
            }
            created++;
            simulation().activate(new Customer(simulation(), counter, statistics, random, serviceRate));
            hold(exponential(random, arrivalRate));
        }
    }

    private static final class Customer extends Process {
        private static final int ARRIVING = 0;
        private static final int QUEUED = 1;
        private static final int SERVED = 2;

        private final Resource counter;
        private final Statistics statistics;
        private final SplittableRandom random;
        private final double serviceRate;
        private int state = ARRIVING;
        private double arrival;

        Customer(Simulation simulation, Resource counter, Statistics statistics, SplittableRandom random, double serviceRate) {
            super(simulation);
            this.counter = counter;
            this.statistics = statistics;
            this.random = random;
            this.serviceRate = serviceRate;
        }

        @Override
        protected void resume() {
            switch (state) {
                case ARRIVING -> {
                    arrival = now();
                    if (request(counter)) {
                        beginService();
                    } else {
                        state = QUEUED;
                    }
                }
                case QUEUED -> beginService();
                case SERVED -> release(counter);
                default -> throw new IllegalStateException("state " + state);
            }
        }

        private void beginService() {
            statistics.served++;
            statistics.waitSum += now() - arrival;
            state = SERVED;
            hold(exponential(random, serviceRate));
        }
    }
}
