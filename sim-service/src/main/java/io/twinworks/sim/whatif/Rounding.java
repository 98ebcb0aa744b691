package io.twinworks.sim.whatif;

/** Rounding of the numbers the what-if features carry (readable values, stable JSON). */
final class Rounding {

    private Rounding() {
    }

    /** {@code value} rounded half-up to {@code digits} decimals. */
    static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
