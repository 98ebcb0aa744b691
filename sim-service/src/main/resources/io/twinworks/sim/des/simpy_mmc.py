# M/M/c queue on SimPy 2 (Debian python3-simpy), the baseline of `twinworks bench des`.
# Same model as io.twinworks.sim.des.QueueingModels: a source creates customers with exponential
# inter-arrival times; each requests one of c servers (FIFO), is served for an exponential time and
# leaves. Usage: simpy_mmc.py LAMBDA MU C CUSTOMERS SEED; prints one JSON line.
import json
import random
import sys
import time

import SimPy
from SimPy.Simulation import Process, Resource, activate, hold, initialize, now, release, request, simulate


class Source(Process):
    def generate(self, customers, lam, mu, counter, stats, rng):
        for _ in range(customers):
            customer = Customer()
            activate(customer, customer.visit(counter, mu, stats, rng))
            yield hold, self, rng.expovariate(lam)


class Customer(Process):
    def visit(self, counter, mu, stats, rng):
        arrival = now()
        yield request, self, counter
        stats[0] += 1
        stats[1] += now() - arrival
        yield hold, self, rng.expovariate(mu)
        yield release, self, counter


def main():
    lam, mu = float(sys.argv[1]), float(sys.argv[2])
    servers, customers, seed = int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    rng = random.Random(seed)
    initialize()
    counter = Resource(capacity=servers, monitored=False)
    stats = [0, 0.0]
    source = Source()
    activate(source, source.generate(customers, lam, mu, counter, stats, rng))
    started = time.perf_counter()
    simulate(until=1e300)
    seconds = time.perf_counter() - started
    print(json.dumps({"simpy": SimPy.__version__, "customers": stats[0], "meanWait": stats[1] / stats[0],
                      "seconds": seconds, "endTime": now()}))


if __name__ == "__main__":
    main()
