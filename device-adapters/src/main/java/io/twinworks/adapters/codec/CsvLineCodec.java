package io.twinworks.adapters.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Delimited text lines, e.g. {@code 21.5,1.02,ok}: column {@code i} goes to {@code columns[i]};
 * a {@code null} column is skipped. A line with another number of columns is refused.
 */
public final class CsvLineCodec implements LineCodec {

    private final String separator;
    private final List<FieldTarget> columns;

    /**
     * @param separator the column separator (e.g. {@code ,} or {@code ;})
     * @param columns   the target of each column; {@code null} skips a column
     */
    public CsvLineCodec(String separator, List<FieldTarget> columns) {
        if (separator == null || separator.isEmpty()) {
            throw new IllegalArgumentException("separator must not be empty");
        }
        this.separator = separator;
        this.columns = new ArrayList<>(Objects.requireNonNull(columns, "columns"));
        if (this.columns.stream().allMatch(Objects::isNull)) {
            throw new IllegalArgumentException("at least one column must be mapped");
        }
    }

    @Override
    public Map<String, Map<String, Object>> decode(String line) throws FrameException {
        String[] cells = line.split(Pattern.quote(separator), -1);
        if (cells.length != columns.size()) {
            throw new FrameException("column_count", "expected " + columns.size() + " columns, got " + cells.length
                    + " in '" + FieldTarget.abbreviate(line) + "'");
        }
        Map<String, Map<String, Object>> features = new LinkedHashMap<>();
        for (int i = 0; i < cells.length; i++) {
            FieldTarget target = columns.get(i);
            if (target != null) {
                LineCodec.put(features, target, target.convert(cells[i]));
            }
        }
        return features;
    }
}
