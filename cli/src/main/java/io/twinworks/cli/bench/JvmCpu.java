package io.twinworks.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time of this JVM and of its threads, its writes to storage, and the machine's load: what the benchmarks print beside a rate,
 * so a figure says what it cost and whether the machine was busy with something else at the time.
 */
public final class JvmCpu {

    private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
    private static final Path PROCESS_IO = Path.of("/proc/self/io");

    private JvmCpu() {
    }

    /** CPU time this JVM has used so far, all threads (0 when the platform does not say). */
    public static long processNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? Math.max(0, os.getProcessCpuTime()) : 0;
    }

    /** CPU time the live threads whose names start with {@code prefix} have used so far (0 when unknown). */
    public static long threadsNanos(String prefix) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            return 0;
        }
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(prefix)) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    /**
     * Time this JVM's JIT compilers have spent compiling so far ({@code CompilationMXBean}; 0 when the JVM does
     * not say). The compiler threads are hidden from {@link ThreadMXBean}, so this is how a benchmark tells how
     * much of its process CPU was compilation rather than the code it measures.
     */
    public static long jitNanos() {
        var compilation = ManagementFactory.getCompilationMXBean();
        return compilation != null && compilation.isCompilationTimeMonitoringSupported()
                ? compilation.getTotalCompilationTime() * 1_000_000 : 0;
    }

    /**
     * Bytes this process has caused to be written to storage so far ({@code write_bytes} of {@code /proc/self/io}:
     * what reached the block layer, page-cache writes included once flushed); -1 off Linux.
     */
    public static long writtenBytes() {
        try {
            for (String line : Files.readAllLines(PROCESS_IO)) {
                if (line.startsWith("write_bytes:")) {
                    return Long.parseLong(line.substring("write_bytes:".length()).trim());
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The machine's one-minute load average ({@code /proc/loadavg}; empty off Linux). */
    public static OptionalDouble loadAverage() {
        try {
            String text = Files.readString(LOAD_AVERAGE);
            return OptionalDouble.of(Double.parseDouble(text.substring(0, text.indexOf(' '))));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }
}
