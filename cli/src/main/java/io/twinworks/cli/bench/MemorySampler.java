package io.twinworks.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * Samples this JVM's memory while a benchmark row runs: the heap in use right after the latest
 * garbage collection (what the live data needs, read from the heap pools' collection usage, so no
 * collection is forced) and the process's resident set size ({@code VmRSS} of
 * {@code /proc/self/status}; absent off Linux). Keeps the first, the largest and the last value of
 * each, so a run shows whether memory stays bounded (and where it ended).
 *
 * <p>The heap figure sums each pool's usage as of that pool's latest collection, so it depends on which
 * collections happened (an old generation not collected yet still counts what it held at its last
 * collection); a forced collection would be steadier but would stop the world inside the measurement.
 */
public final class MemorySampler implements AutoCloseable {

    private static final Path STATUS = Path.of("/proc/self/status");

    private final Thread thread;
    private final Duration interval;
    private volatile boolean running = true;
    private final long startedAtNanos = System.nanoTime();
    private long samples;
    private long firstHeapAfterGc = -1;
    private long maxHeapAfterGc = -1;
    private long lastHeapAfterGc = -1;
    private long firstRss = -1;
    private long maxRss = -1;
    private long lastRss = -1;

    /** Starts sampling every {@code interval} on a daemon thread of its own. */
    public MemorySampler(Duration interval) {
        this.interval = interval;
        this.thread = new Thread(this::sampleUntilClosed, "bench-memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void sampleUntilClosed() {
        while (running) {
            sample();
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample() {
        samples++;
        long heap = heapAfterLastGc();
        if (heap >= 0) {
            firstHeapAfterGc = firstHeapAfterGc < 0 ? heap : firstHeapAfterGc;
            maxHeapAfterGc = Math.max(maxHeapAfterGc, heap);
            lastHeapAfterGc = heap;
        }
        OptionalLong rss = residentSetBytes();
        if (rss.isPresent()) {
            firstRss = firstRss < 0 ? rss.getAsLong() : firstRss;
            maxRss = Math.max(maxRss, rss.getAsLong());
            lastRss = rss.getAsLong();
        }
    }

    /** The heap in use after the latest collection of each heap pool (-1 before any collection). */
    static long heapAfterLastGc() {
        long total = 0;
        boolean any = false;
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        for (MemoryPoolMXBean pool : pools) {
            MemoryUsage afterGc = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            if (afterGc != null && afterGc.getUsed() > 0) {
                total += afterGc.getUsed();
                any = true;
            }
        }
        return any ? total : -1;
    }

    /** The process's resident set size, when {@code /proc/self/status} says. */
    static OptionalLong residentSetBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Stops sampling (after one last sample) and returns what was seen. */
    public Figures stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample();
        synchronized (this) {
            return new Figures(samples, (System.nanoTime() - startedAtNanos) / 1e9, firstHeapAfterGc, maxHeapAfterGc,
                    lastHeapAfterGc, firstRss, maxRss, lastRss);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }

    /**
     * What the sampler saw, in bytes (-1 when unknown).
     *
     * @param samples          how many samples were taken
     * @param seconds          how long the sampler ran
     * @param firstHeapAfterGc heap in use after the first collection seen
     * @param maxHeapAfterGc   the largest heap in use after a collection
     * @param lastHeapAfterGc  heap in use after the last collection seen
     * @param firstRss         resident set size at the first sample
     * @param maxRss           the largest resident set size
     * @param lastRss          resident set size at the last sample
     */
    public record Figures(long samples, double seconds, long firstHeapAfterGc, long maxHeapAfterGc, long lastHeapAfterGc,
                          long firstRss, long maxRss, long lastRss) {

        /** One line for the report. */
        public String format() {
            return String.format(java.util.Locale.ROOT,
                    "heap after GC %s MB first, %s MB max, %s MB last; RSS %s MB first, %s MB max, %s MB last"
                            + " (%d samples over %.0f s)",
                    mb(firstHeapAfterGc), mb(maxHeapAfterGc), mb(lastHeapAfterGc), mb(firstRss), mb(maxRss), mb(lastRss),
                    samples, seconds);
        }

        private static String mb(long bytes) {
            return bytes < 0 ? "?" : String.valueOf(Math.round(bytes / (1024.0 * 1024.0)));
        }
    }
}
