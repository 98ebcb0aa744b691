package io.twinworks.cli;

import io.twinworks.sim.des.DesBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code twinworks bench des}: the discrete-event engine against SimPy on the same queueing models. */
@Command(name = "des", mixinStandardHelpOptions = true,
        description = {"Runs an M/M/1 and an M/M/3 queue (rho 0.9) in Twinworks' discrete-event engine and in SimPy 2",
                "(Debian python3-simpy) in one run; prints events/s of both, the ratio, and both mean waiting times",
                "next to the analytic value. One event per arrival and one per departure on both sides."})
public final class BenchDesCommand implements Callable<Integer> {

    @Option(names = "--customers", defaultValue = "1000000", description = "Customers per model and engine (default: ${DEFAULT-VALUE}).")
    long customers;

    @Option(names = "--python", defaultValue = "/usr/bin/python3",
            description = "Interpreter that can import SimPy 2 (default: ${DEFAULT-VALUE}).")
    Path python;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (customers < 1000) {
            spec.commandLine().getErr().println("twinworks bench des: --customers must be >= 1000");
            return 2;
        }
        out.println("twinworks bench des: same models on both engines, events = arrivals + departures");
        out.flush();
        List<DesBenchmark.CaseResult> results = new DesBenchmark(python).run(DesBenchmark.defaultCases(customers), line -> {
            out.println(line);
            out.flush();
        });
        DesBenchmark.table(results).forEach(out::println);
        out.flush();
        return 0;
    }
}
