package io.twinworks.sim.line;

import java.util.List;

/**
 * The outcome of a production-line run, measured after the warm-up.
 *
 * @param throughputPerHour parts delivered to the sink per hour
 * @param produced          parts delivered after the warm-up
 * @param measuredHours     hours measured (horizon − warm-up)
 * @param stations          per-station time shares, upstream first
 * @param buffers           per-buffer mean levels
 * @param bottleneck        index of the bottleneck station (see {@link ProductionLineModel#bottleneck})
 * @param events            engine events processed
 */
public record LineResult(double throughputPerHour, long produced, double measuredHours, List<StationStats> stations,
                         List<BufferStats> buffers, int bottleneck, long events) {

    public LineResult {
        stations = List.copyOf(stations);
        buffers = List.copyOf(buffers);
    }

    /**
     * Time shares of one station (they add up to 1).
     *
     * @param name                  station name
     * @param working               share of time processing a part (utilisation)
     * @param blocked               share of time holding a finished part because the buffer after it is full
     * @param starved               share of time waiting for a part because the buffer before it is empty
     * @param down                  share of time failed or in repair
     * @param meanActivePeriodHours mean length of its active periods (working or down, uninterrupted by
     *                              blocking or starving): the active-period bottleneck criterion
     * @param failures              failures after the warm-up
     */
    public record StationStats(String name, double working, double blocked, double starved, double down,
                               double meanActivePeriodHours, long failures) {
        /** Working or down: the share during which the station holds the line up. */
        public double active() {
            return working + down;
        }
    }

    /**
     * @param capacity  capacity
     * @param meanLevel time-averaged number of parts in it
     */
    public record BufferStats(int capacity, double meanLevel) {
    }
}
