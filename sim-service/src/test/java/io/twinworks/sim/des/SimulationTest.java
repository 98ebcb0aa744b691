package io.twinworks.sim.des;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SimulationTest {

    /** A process that records (time, label) at each step of a scripted list of holds. */
    private static final class Sleeper extends Process {
        private final List<String> log;
        private final String name;
        private final double[] holds;
        private int step;

        Sleeper(Simulation simulation, List<String> log, String name, double... holds) {
            super(simulation);
            this.log = log;
            this.name = name;
            this.holds = holds;
        }

        @Override
        protected void resume() {
            log.add(now() + ":" + name + (interrupted() ? "!" + interruptCause() : ""));
            if (step < holds.length) {
                hold(holds[step++]);
            }
        }
    }

    @Test
    void eventsRunInTimeOrderAndFifoAtEqualTimes() {
        Simulation simulation = new Simulation();
        List<String> log = new ArrayList<>();
        simulation.activate(new Sleeper(simulation, log, "a", 2.0, 1.0));
        simulation.activate(new Sleeper(simulation, log, "b", 1.0, 2.0));
        simulation.activate(new Sleeper(simulation, log, "c", 3.0));
        simulation.run();
        // At 3.0, c was scheduled first (at 0), then b (at 1), then a (at 2).
        assertThat(log).containsExactly("0.0:a", "0.0:b", "0.0:c", "1.0:b", "2.0:a", "3.0:c", "3.0:b", "3.0:a");
        assertThat(simulation.events()).isEqualTo(8);
    }

    @Test
    void heapKeepsOrderForManyRandomEvents() {
        Simulation simulation = new Simulation();
        List<Double> times = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            double delay = Math.floor(random.nextDouble() * 100);
            simulation.activate(new Process(simulation) {
                @Override
                protected void resume() {
                    times.add(now());
                }
            }, delay);
        }
        simulation.run();
        assertThat(times).hasSize(5000).isSorted();
    }

    @Test
    void runUntilStopsTheClockThereAndLeavesLaterEvents() {
        Simulation simulation = new Simulation();
        List<String> log = new ArrayList<>();
        simulation.activate(new Sleeper(simulation, log, "a", 5.0));
        simulation.run(3.0);
        assertThat(simulation.now()).isEqualTo(3.0);
        assertThat(log).containsExactly("0.0:a");
        simulation.run();
        assertThat(log).containsExactly("0.0:a", "5.0:a");
        assertThatThrownBy(() -> simulation.run(1.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interruptCancelsTheHoldAndResumesNowWithTheCause() {
        Simulation simulation = new Simulation();
        List<String> log = new ArrayList<>();
        Sleeper sleeper = new Sleeper(simulation, log, "a", 10.0, 1.0);
        simulation.activate(sleeper);
        simulation.activate(new Process(simulation) {
            @Override
            protected void resume() {
                sleeper.interrupt("failure");
            }
        }, 4.0);
        simulation.run();
        // The cancelled hold (due at 10) never fires.
        assertThat(log).containsExactly("0.0:a", "4.0:a!failure", "5.0:a");
    }

    @Test
    void interruptingAProcessThatIsNotWaitingIsRefused() {
        Simulation simulation = new Simulation();
        Sleeper idle = new Sleeper(simulation, new ArrayList<>(), "idle");
        assertThatThrownBy(() -> idle.interrupt("x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void negativeOrInfiniteDelaysAreRefused() {
        Simulation simulation = new Simulation();
        Sleeper sleeper = new Sleeper(simulation, new ArrayList<>(), "a");
        assertThatThrownBy(() -> simulation.activate(sleeper, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulation.activate(sleeper, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> simulation.activate(sleeper, Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Simulation().activate(sleeper)).hasMessageContaining("another simulation");
    }

    /** Uses the resource for a fixed time, logging grant times. */
    private static final class User extends Process {
        private final Resource resource;
        private final double duration;
        private final List<String> log;
        private final String name;
        private int state;

        User(Simulation simulation, Resource resource, double duration, List<String> log, String name) {
            super(simulation);
            this.resource = resource;
            this.duration = duration;
            this.log = log;
            this.name = name;
        }

        @Override
        protected void resume() {
            if (interrupted()) {
                log.add(now() + ":" + name + " gave up");
                return;
            }
            switch (state) {
                case 0 -> {
                    state = 1;
                    if (request(resource)) {
                        use();
                    }
                }
                case 1 -> use();
                default -> release(resource);
            }
        }

        private void use() {
            log.add(now() + ":" + name);
            state = 2;
            hold(duration);
        }
    }

    @Test
    void resourceGrantsUpToCapacityThenQueuesFifo() {
        Simulation simulation = new Simulation();
        Resource resource = new Resource(simulation, 2);
        List<String> log = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d")) {
            simulation.activate(new User(simulation, resource, 2.0, log, name));
        }
        simulation.run();
        assertThat(log).containsExactly("0.0:a", "0.0:b", "2.0:c", "2.0:d");
        assertThat(resource.utilisation()).isCloseTo(1.0, within(1e-12));
        assertThat(resource.meanQueueLength()).isCloseTo(1.0, within(1e-12));
        assertThat(resource.inUse()).isZero();
    }

    @Test
    void interruptedRequestLeavesTheQueue() {
        Simulation simulation = new Simulation();
        Resource resource = new Resource(simulation, 1);
        List<String> log = new ArrayList<>();
        simulation.activate(new User(simulation, resource, 5.0, log, "a"));
        User b = new User(simulation, resource, 1.0, log, "b");
        simulation.activate(b);
        simulation.activate(new User(simulation, resource, 1.0, log, "c"));
        simulation.activate(new Process(simulation) {
            @Override
            protected void resume() {
                b.interrupt("impatient");
            }
        }, 1.0);
        simulation.run();
        assertThat(log).containsExactly("0.0:a", "1.0:b gave up", "5.0:c");
    }

    @Test
    void releasingAnUnusedResourceIsRefused() {
        Simulation simulation = new Simulation();
        Resource resource = new Resource(simulation, 1);
        Process process = new Process(simulation) {
            @Override
            protected void resume() {
                release(resource);
            }
        };
        simulation.activate(process);
        assertThatThrownBy(simulation::run).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new Resource(simulation, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storeBlocksProducersWhenFullAndConsumersWhenEmpty() {
        Simulation simulation = new Simulation();
        Store<Integer> store = new Store<>(2);
        List<String> log = new ArrayList<>();
        simulation.activate(new Process(simulation) {
            private int next;

            @Override
            protected void resume() {
                while (next < 5) {
                    log.add(now() + ":put " + next);
                    if (!put(store, next++)) {
                        return;
                    }
                }
            }
        });
        simulation.activate(new Process(simulation) {
            private boolean waiting;

            @Override
            protected void resume() {
                if (waiting) {
                    log.add(now() + ":got " + received());
                }
                waiting = true;
                hold(1.0);
                waiting = false;
                // The hold's resumption takes the next item.
                simulation().activate(new Process(simulation()) {
                    @Override
                    protected void resume() {
                        if (get(store)) {
                            log.add(now() + ":got " + received());
                        }
                    }
                }, 1.0);
            }
        }, 0.5);
        simulation.run(2.0);
        assertThat(log).containsSubsequence("0.0:put 0", "0.0:put 1", "0.0:put 2", "1.5:got 0", "1.5:put 3");
        assertThat(store.size()).isEqualTo(2);
    }

    @Test
    void getterWaitingOnAnEmptyStoreReceivesTheNextPut() {
        Simulation simulation = new Simulation();
        Store<String> store = Store.unbounded();
        List<String> log = new ArrayList<>();
        simulation.activate(new Process(simulation) {
            @Override
            protected void resume() {
                if (get(store) || received() != null) {
                    log.add(now() + ":" + received());
                }
            }
        });
        simulation.activate(new Process(simulation) {
            @Override
            protected void resume() {
                put(store, "part");
            }
        }, 3.0);
        simulation.run();
        assertThat(log).containsExactly("3.0:part");
    }

    @Test
    void anInterruptInTheInstantOfAGrantTellsTheProcessThatTheItemArrived() {
        Simulation simulation = new Simulation();
        Store<String> store = Store.unbounded();
        List<String> log = new ArrayList<>();
        Process getter = new Process(simulation) {
            private boolean waiting;

            @Override
            protected void resume() {
                if (!waiting) {
                    waiting = true;
                    get(store);
                    return;
                }
                log.add(now() + ":" + interrupted() + ":" + waitGranted() + ":" + received());
            }
        };
        simulation.activate(getter);
        simulation.activate(new Process(simulation) {
            @Override
            protected void resume() {
                put(store, "part");
                getter.interrupt("failure");
            }
        }, 2.0);
        simulation.run();
        assertThat(log).containsExactly("2.0:true:true:part");
        assertThat(store.size()).isZero();
    }

    @Test
    void anInterruptOfAnUngrantedWaitSaysSo() {
        Simulation simulation = new Simulation();
        Store<String> store = Store.unbounded();
        List<String> log = new ArrayList<>();
        Process getter = new Process(simulation) {
            private boolean waiting;

            @Override
            protected void resume() {
                if (!waiting) {
                    waiting = true;
                    get(store);
                    return;
                }
                log.add(now() + ":" + interrupted() + ":" + waitGranted());
            }
        };
        simulation.activate(getter);
        simulation.activate(new Process(simulation) {
            @Override
            protected void resume() {
                getter.interrupt("failure");
                put(store, "part");
            }
        }, 2.0);
        simulation.run();
        assertThat(log).containsExactly("2.0:true:false");
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void mm1MeanWaitMatchesQueueingTheory() {
        QueueingModels.QueueResult result = QueueingModels.mmc(0.5, 1.0, 1, 400_000, 11);
        double analytic = QueueingModels.analyticMeanWait(0.5, 1.0, 1);
        assertThat(analytic).isCloseTo(1.0, within(1e-12));
        assertThat(result.meanWait()).isCloseTo(analytic, within(0.05 * analytic));
        assertThat(result.utilisation()).isCloseTo(0.5, within(0.01));
        assertThat(result.customers()).isEqualTo(400_000);
    }

    @Test
    void mmcMeanWaitMatchesErlangC() {
        QueueingModels.QueueResult result = QueueingModels.mmc(2.4, 1.0, 3, 400_000, 12);
        double analytic = QueueingModels.analyticMeanWait(2.4, 1.0, 3);
        // Erlang C for c = 3, a = 2.4: P(wait) = 0.6472, Wq = 0.6472 / 0.6 = 1.0787.
        assertThat(analytic).isCloseTo(1.0787, within(0.001));
        assertThat(result.meanWait()).isCloseTo(analytic, within(0.07 * analytic));
        assertThat(result.utilisation()).isCloseTo(0.8, within(0.01));
    }

    @Test
    void queueRunsAreDeterministicPerSeed() {
        assertThat(QueueingModels.mmc(0.9, 1.0, 1, 10_000, 5)).isEqualTo(QueueingModels.mmc(0.9, 1.0, 1, 10_000, 5));
        assertThat(QueueingModels.mmc(0.9, 1.0, 1, 10_000, 5)).isNotEqualTo(QueueingModels.mmc(0.9, 1.0, 1, 10_000, 6));
    }

    @Test
    void unstableOrInvalidQueuesAreRefused() {
        assertThatThrownBy(() -> QueueingModels.analyticMeanWait(1.0, 1.0, 1)).hasMessageContaining("unstable");
        assertThatThrownBy(() -> QueueingModels.mmc(0, 1, 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QueueingModels.mmc(1, 1, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
