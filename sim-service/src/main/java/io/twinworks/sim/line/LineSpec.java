package io.twinworks.sim.line;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A serial production line: an unlimited source feeds the first station, station {@code i} passes
 * its parts into buffer {@code i} (finite capacity) in front of station {@code i+1}, and the last
 * station delivers into an unlimited sink.
 *
 * @param stations         the machines, upstream first (at least one)
 * @param bufferCapacities capacity of the buffer after each station but the last ({@code stations − 1}
 *                         entries; 0 = the part is handed over directly)
 */
public record LineSpec(List<Station> stations, List<Integer> bufferCapacities) {

    public LineSpec {
        stations = List.copyOf(stations);
        bufferCapacities = List.copyOf(bufferCapacities);
        if (stations.isEmpty()) {
            throw new IllegalArgumentException("a line needs at least one station");
        }
        if (bufferCapacities.size() != stations.size() - 1) {
            throw new IllegalArgumentException("a line of " + stations.size() + " stations needs " + (stations.size() - 1)
                    + " buffer capacities, got " + bufferCapacities.size());
        }
        for (int capacity : bufferCapacities) {
            if (capacity < 0) {
                throw new IllegalArgumentException("buffer capacities must be >= 0: " + capacity);
            }
        }
        Set<String> names = new HashSet<>();
        for (Station station : stations) {
            if (!names.add(station.name())) {
                throw new IllegalArgumentException("station names must be unique: " + station.name());
            }
        }
    }

    /** The same stations with other buffer capacities. */
    public LineSpec withBuffers(List<Integer> capacities) {
        return new LineSpec(stations, capacities);
    }
}
