package io.twinworks.analytics.ml;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reader of NASA's C-MAPSS turbofan files ({@code train_FD00x.txt}, {@code test_FD00x.txt}): 26
 * whitespace-separated numbers per row (unit, cycle, 3 settings, 21 sensors), one row per cycle.
 *
 * <p>It lives in the small {@code cmapss-data} module (no DL4J) so that sim-service replays recorded
 * engines with the same reader analytics-ml trains on. The package stays {@code io.twinworks.analytics.ml}
 * for now so that no caller changed while RUL training was being reworked; a rename is a follow-up.
 */
public final class CmapssData {

    /** Column names in file order. */
    public static final List<String> COLUMNS;

    static {
        List<String> columns = new ArrayList<>(List.of("unit", "cycle", "setting1", "setting2", "setting3"));
        for (int s = 1; s <= 21; s++) {
            columns.add("s" + s);
        }
        COLUMNS = List.copyOf(columns);
    }

    /** The sensors that vary in FD001 (the other seven are constant or two-valued there). */
    public static final List<String> FD001_SENSORS = List.of(
            "s2", "s3", "s4", "s7", "s8", "s9", "s11", "s12", "s13", "s14", "s15", "s17", "s20", "s21");

    /**
     * The physical names of sensors s1..s21 (Saxena et al. 2008, table 2), as the turbofan Thing
     * Model's {@code sensors} feature names its properties: s2 is {@code T24}, s11 is {@code Ps30}, ...
     */
    public static final List<String> SENSOR_NAMES = List.of("T2", "T24", "T30", "T50", "P2", "P15", "P30", "Nf", "Nc",
            "epr", "Ps30", "phi", "NRf", "NRc", "BPR", "farB", "htBleed", "Nf_dmd", "PCNfR_dmd", "W31", "W32");

    /** The physical name of a sensor column {@code s<n>}, or {@code null} for any other name. */
    public static String sensorName(String column) {
        if (column.length() < 2 || column.charAt(0) != 's' || !column.substring(1).matches("\\d{1,2}")) {
            return null;
        }
        int n = Integer.parseInt(column.substring(1));
        return n >= 1 && n <= SENSOR_NAMES.size() ? SENSOR_NAMES.get(n - 1) : null;
    }

    private CmapssData() {
    }

    /** One engine's trajectory: {@code rows[cycleIndex][column]} in {@link #COLUMNS} order. */
    public record Unit(int id, double[][] rows) {
        /** Number of cycles. */
        public int cycles() {
            return rows.length;
        }

        /** The values of the named columns at a cycle index. */
        public double[] values(int cycleIndex, List<String> names) {
            double[] out = new double[names.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = rows[cycleIndex][COLUMNS.indexOf(names.get(i))];
            }
            return out;
        }
    }

    /**
     * Reads a file, units in order of first appearance.
     *
     * @throws IOException with the file and line number when a row is malformed or cycles of a
     *                     unit are not increasing
     */
    public static List<Unit> read(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            return read(reader, file.toString());
        }
    }

    /**
     * Reads a file on the class path (e.g. the recorded engines a service ships), as {@link #read(Path)}.
     *
     * @param resource an absolute resource name, e.g. {@code /cmapss/train_FD001.txt}
     * @throws IOException naming the resource when it is missing, or with its line number when a row is malformed
     */
    public static List<Unit> readResource(String resource) throws IOException {
        InputStream in = CmapssData.class.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException("no resource " + resource + " on the classpath");
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            return read(reader, resource);
        }
    }

    private static List<Unit> read(BufferedReader reader, String source) throws IOException {
        Map<Integer, List<double[]>> units = new LinkedHashMap<>();
        String line;
        int lineNumber = 0;
        while ((line = reader.readLine()) != null) {
            lineNumber++;
            line = line.strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] fields = line.split("\\s+");
            if (fields.length != COLUMNS.size()) {
                throw new IOException(source + ":" + lineNumber + ": expected " + COLUMNS.size() + " numbers, found " + fields.length);
            }
            double[] row = new double[fields.length];
            for (int i = 0; i < fields.length; i++) {
                try {
                    row[i] = Double.parseDouble(fields[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(source + ":" + lineNumber + ": column " + COLUMNS.get(i) + " '" + fields[i] + "' is not a number");
                }
            }
            List<double[]> rows = units.computeIfAbsent((int) row[0], id -> new ArrayList<>());
            if (!rows.isEmpty() && row[1] <= rows.get(rows.size() - 1)[1]) {
                throw new IOException(source + ":" + lineNumber + ": cycle " + (long) row[1] + " of unit " + (int) row[0]
                        + " does not follow cycle " + (long) rows.get(rows.size() - 1)[1]);
            }
            rows.add(row);
        }
        if (units.isEmpty()) {
            throw new IOException(source + ": no rows");
        }
        List<Unit> out = new ArrayList<>();
        units.forEach((id, rows) -> out.add(new Unit(id, rows.toArray(double[][]::new))));
        return out;
    }
}
