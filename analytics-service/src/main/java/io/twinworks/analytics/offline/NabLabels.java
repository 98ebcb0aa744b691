package io.twinworks.analytics.offline;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Anomaly windows in NAB's {@code combined_windows.json} layout: an object whose keys name files
 * ({@code <category>/<file>.csv}, or a bare file name) and whose values are lists of
 * {@code [start, end]} timestamps ({@code yyyy-MM-dd HH:mm:ss[.ffffff]}, no zone).
 */
public final class NabLabels {

    private final Map<String, List<LocalDateTime[]>> windows;

    private NabLabels(Map<String, List<LocalDateTime[]>> windows) {
        this.windows = windows;
    }

    /**
     * Reads a windows file.
     *
     * @throws IOException when it cannot be read or is not in the layout above (the message says where)
     */
    public static NabLabels read(Path json) throws IOException {
        JsonObject object;
        try {
            object = new JsonObject(Files.readString(json, StandardCharsets.UTF_8));
        } catch (DecodeException e) {
            throw new CsvAnomalyAnalysis.CsvFormatException(json + ": not a JSON object: " + e.getMessage());
        }
        Map<String, List<LocalDateTime[]>> windows = new LinkedHashMap<>();
        for (String key : object.fieldNames()) {
            if (!(object.getValue(key) instanceof JsonArray list)) {
                throw new CsvAnomalyAnalysis.CsvFormatException(json + ": '" + key + "' must map to a list of [start, end] pairs");
            }
            List<LocalDateTime[]> pairs = new ArrayList<>();
            for (Object entry : list) {
                if (!(entry instanceof JsonArray pair) || pair.size() != 2
                        || !(pair.getValue(0) instanceof String) || !(pair.getValue(1) instanceof String)) {
                    throw new CsvAnomalyAnalysis.CsvFormatException(json + ": '" + key + "': each window must be [\"start\", \"end\"], got " + entry);
                }
                LocalDateTime start = timestamp(pair.getString(0), json + ": '" + key + "'");
                LocalDateTime end = timestamp(pair.getString(1), json + ": '" + key + "'");
                if (end.isBefore(start)) {
                    throw new CsvAnomalyAnalysis.CsvFormatException(json + ": '" + key + "': window ends before it starts: " + entry);
                }
                pairs.add(new LocalDateTime[] {start, end});
            }
            pairs.sort((a, b) -> a[0].compareTo(b[0]));
            windows.put(key, List.copyOf(pairs));
        }
        return new NabLabels(windows);
    }

    /** The windows of a file given by its key, if labelled. */
    public Optional<List<LocalDateTime[]>> windowsOf(String key) {
        return Optional.ofNullable(windows.get(key));
    }

    /** The labelled keys, in file order. */
    public List<String> keys() {
        return List.copyOf(windows.keySet());
    }

    /**
     * The key under which {@code file} is labelled: {@code <parent>/<name>} if present (NAB's layout),
     * otherwise the bare name.
     */
    public Optional<String> keyOf(Path file) {
        String name = file.getFileName().toString();
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null && parent.getFileName() != null) {
            String withCategory = parent.getFileName() + "/" + name;
            if (windows.containsKey(withCategory)) {
                return Optional.of(withCategory);
            }
        }
        return windows.containsKey(name) ? Optional.of(name) : Optional.empty();
    }

    /**
     * The windows as inclusive row ranges of a file with these timestamps: from the first row at or after
     * a window's start to the first row at its end, or the last row before it when no row is at it (NAB's
     * windows lie on rows: then both ends are the first rows with those timestamps, as NAB takes them).
     *
     * @throws IllegalArgumentException when a window holds no row of the file or windows overlap
     */
    public static List<int[]> rowRanges(String key, List<LocalDateTime[]> windows, LocalDateTime[] timestamps) {
        List<int[]> ranges = new ArrayList<>();
        for (LocalDateTime[] window : windows) {
            int first = -1;
            int last = -1;
            for (int i = 0; i < timestamps.length && !timestamps[i].isAfter(window[1]); i++) {
                if (first < 0 && !timestamps[i].isBefore(window[0])) {
                    first = i;
                }
                if (last < 0 || !timestamps[last].equals(window[1])) {
                    last = i;
                }
            }
            if (first < 0 || last < first) {
                throw new IllegalArgumentException(key + ": window [" + window[0] + ", " + window[1] + "] holds no row of the file");
            }
            if (!ranges.isEmpty() && ranges.get(ranges.size() - 1)[1] >= first) {
                throw new IllegalArgumentException(key + ": windows overlap at [" + window[0] + ", " + window[1] + "]");
            }
            ranges.add(new int[] {first, last});
        }
        return ranges;
    }

    /** Parses {@code yyyy-MM-dd HH:mm:ss[.fraction]} (or with {@code T}); {@code where} names the source in errors. */
    public static LocalDateTime timestamp(String text, String where) throws CsvAnomalyAnalysis.CsvFormatException {
        try {
            return LocalDateTime.parse(text.strip().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw new CsvAnomalyAnalysis.CsvFormatException(where + ": '" + text + "' is not a timestamp yyyy-MM-dd HH:mm:ss");
        }
    }
}
