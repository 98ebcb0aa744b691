package io.twinworks.localstack.ditto.store;

import java.time.Instant;
import java.time.LocalDate;

/**
 * {@link Instant#toString()} (ISO-8601, {@code DateTimeFormatter.ISO_INSTANT}) written with arithmetic: the rows of
 * every change carry its modification time, and the formatter's general machinery (a parse-position context, a
 * builder per field, a zone rule lookup) cost more than writing some of those rows; a cache of the texts did not
 * help, as the modification time of every change is new. Years outside 0000..9999 (which ISO_INSTANT writes with
 * a sign) are left to {@link Instant#toString()}. Stateless.
 */
final class InstantTexts {

    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z in epoch seconds: the instants written here. */
    private static final long FIRST_SECOND = -62_167_219_200L;
    private static final long LAST_SECOND = 253_402_300_799L;
    private static final int SECONDS_PER_DAY = 86_400;

    private InstantTexts() {
    }

    /** The instant's {@link Instant#toString()}. */
    static String of(Instant instant) {
        long epochSecond = instant.getEpochSecond();
        if (epochSecond < FIRST_SECOND || epochSecond > LAST_SECOND) {
            return instant.toString();
        }
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, SECONDS_PER_DAY));
        int secondOfDay = (int) Math.floorMod(epochSecond, SECONDS_PER_DAY);
        int nano = instant.getNano();
        // ISO_INSTANT writes the fraction in groups of three digits, as many as it needs, and none for 0
        int fractionDigits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1_000 == 0 ? 6 : 9;
        char[] text = new char[20 + (fractionDigits == 0 ? 0 : 1 + fractionDigits)];
        digits(text, 0, date.getYear(), 4);
        text[4] = '-';
        digits(text, 5, date.getMonthValue(), 2);
        text[7] = '-';
        digits(text, 8, date.getDayOfMonth(), 2);
        text[10] = 'T';
        digits(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        digits(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        digits(text, 17, secondOfDay % 60, 2);
        int end = 19;
        if (fractionDigits > 0) {
            text[end++] = '.';
            int fraction = fractionDigits == 3 ? nano / 1_000_000 : fractionDigits == 6 ? nano / 1_000 : nano;
            digits(text, end, fraction, fractionDigits);
            end += fractionDigits;
        }
        text[end] = 'Z';
        return new String(text);
    }

    /** {@code value} as exactly {@code count} decimal digits (leading zeros) at {@code offset}. */
    private static void digits(char[] text, int offset, int value, int count) {
        int rest = value;
        for (int i = offset + count - 1; i >= offset; i--) {
            text[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
    }
}
