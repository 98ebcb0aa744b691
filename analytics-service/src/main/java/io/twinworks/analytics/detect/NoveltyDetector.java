package io.twinworks.analytics.detect;

/**
 * Experimental scratch version.
 */
public final class NoveltyDetector {

    public record Settings(int fineStep, int coarseStep, int window, int prototypes, int learnPoints, double longWeight,
                           int maskRows, double maskThreshold, double shapeWeight, double rate,
                           double rangeMargin, double rangeScale, int warmRows, double vigilanceSd, boolean coarse, double shortWeight, double rangeDecay, double spikeWeight, double spikeZ) {
        public static final Settings DEFAULTS = new Settings(3, 12, 8, 32, 64, 0.01, 48, 0.5, 0.0, 0.1, 0.05, 0.1, 150, 3.0, true, 1.0, 0.0, 0.0, 6.0);
    }

    private final Settings s;
    private final Scale fine;
    private final Scale coarse;
    private long rows;
    private double rowMin = Double.POSITIVE_INFINITY;
    private double rowMax = Double.NEGATIVE_INFINITY;
    private int mask;
    private double lastAlarm;
    private double centre;
    private double spikeMean;
    private double spikeVar;

    public NoveltyDetector(Settings settings) {
        this.s = settings;
        this.fine = new Scale(settings, settings.fineStep());
        this.coarse = settings.coarse() ? new Scale(settings, settings.coarseStep()) : null;
    }

    public double update(double value) {
        if (!Double.isFinite(value)) {
            return 0;
        }
        rows++;
        double score = 0;
        if (rows > s.warmRows()) {
            double range = Math.max(rowMax - rowMin, 1e-12);
            double beyond = Math.max(value - rowMax, rowMin - value) / range - s.rangeMargin();
            if (beyond > 0) {
                score = 0.5 + 0.5 * Math.min(1.0, beyond / s.rangeScale());
            }
        }
        if (rows > s.warmRows() && s.spikeWeight() > 0) {
            double z = Math.abs(value - spikeMean) / Math.sqrt(Math.max(spikeVar, 1e-12));
            if (z > s.spikeZ()) {
                score = Math.max(score, Math.min(1.0, 0.5 * z / s.spikeZ()));
            }
        }
        double spikeDev = value - spikeMean;
        if (rows == 1) {
            spikeMean = value;
        } else {
            double a = Math.max(s.spikeWeight(), 1.0 / rows);
            spikeMean += a * spikeDev;
            spikeVar = (1 - a) * (spikeVar + a * spikeDev * spikeDev);
        }
        rowMin = Math.min(rowMin, value);
        rowMax = Math.max(rowMax, value);
        centre = rows == 1 ? value : centre + 0.001 * (value - centre);
        if (rows > s.warmRows()) {
            rowMax -= s.rangeDecay() * (rowMax - centre);
            rowMin -= s.rangeDecay() * (rowMin - centre);
        }
        score = Math.max(score, fine.update(value, rowMin, rowMax));
        if (coarse != null) {
            score = Math.max(score, coarse.update(value, rowMin, rowMax));
        }
        if (mask > 0) {
            mask--;
            if (score <= lastAlarm) {
                return 0;
            }
        }
        if (score >= s.maskThreshold()) {
            mask = s.maskRows();
            lastAlarm = score;
        }
        return score;
    }

    static final class Scale {
        private final Settings s;
        private final int step;
        private final byte[] protos;
        private final long[] protoUsed;
        private int protoSize;
        private final double[] recent;
        private final double[] feature;
        private double accMin = Double.POSITIVE_INFINITY;
        private double accMax = Double.NEGATIVE_INFINITY;
        private double acc;
        private int accN;
        private double avg;
        private long points;
        private double longMean;
        private double longVar;
        private double shortRaw;

        Scale(Settings s, int step) {
            this.s = s;
            this.step = step;
            this.protos = new byte[s.prototypes() * s.window() * 2];
            this.protoUsed = new long[s.prototypes()];
            this.recent = new double[s.window()];
            this.feature = new double[s.window() * 2];
        }

        double update(double value, double min, double max) {
            acc += value;
            accMin = Math.min(accMin, value);
            accMax = Math.max(accMax, value);
            accN++;
            if (accN < step) {
                return 0;
            }
            double mean = acc / accN;
            avg = points == 0 ? mean : (avg + mean) / 2;
            double ds = Math.abs(accMax - avg) >= Math.abs(accMin - avg) ? accMax : accMin;
            acc = 0;
            accN = 0;
            accMin = Double.POSITIVE_INFINITY;
            accMax = Double.NEGATIVE_INFINITY;
            return point(ds, min, max);
        }

        private double point(double v, double min, double max) {
            points++;
            double range = max - min;
            double norm = range > 0 ? (v - min) / range : 0.5;
            System.arraycopy(recent, 1, recent, 0, recent.length - 1);
            recent[recent.length - 1] = norm;
            int w = s.window();
            if (points < w) {
                return 0;
            }
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double r : recent) {
                lo = Math.min(lo, r);
                hi = Math.max(hi, r);
            }
            for (int i = 0; i < w; i++) {
                feature[i] = recent[i];
                feature[w + i] = hi > lo ? s.shapeWeight() * (recent[i] - lo) / (hi - lo) : 0;
            }
            int d = 2 * w;
            int best = -1;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int p = 0; p < protoSize; p++) {
                double dist = 0;
                int base = p * d;
                for (int i = 0; i < d; i++) {
                    dist += Math.abs(feature[i] - (protos[base + i] & 0xFF) / 255.0);
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = p;
                }
            }
            double raw = best < 0 ? 0 : bestDistance / d;
            double vigilance = longMean + s.vigilanceSd() * Math.sqrt(longVar);
            if (best < 0 || raw > vigilance) {
                int slot;
                if (protoSize < s.prototypes()) {
                    slot = protoSize++;
                } else {
                    slot = 0;
                    for (int p = 1; p < protoSize; p++) {
                        if (protoUsed[p] < protoUsed[slot]) {
                            slot = p;
                        }
                    }
                }
                for (int i = 0; i < d; i++) {
                    protos[slot * d + i] = quantise(feature[i]);
                }
                protoUsed[slot] = points;
            } else {
                int base = best * d;
                for (int i = 0; i < d; i++) {
                    double current = (protos[base + i] & 0xFF) / 255.0;
                    protos[base + i] = quantise(current + s.rate() * (feature[i] - current));
                }
                protoUsed[best] = points;
            }
            shortRaw += s.shortWeight() * (raw - shortRaw);
            double dev = shortRaw - longMean;
            double z = dev / Math.sqrt(Math.max(longVar, 1e-8));
            if (points <= s.learnPoints()) {
                longMean += dev / points;
                longVar += (dev * dev - longVar) / points;
                return 0;
            }
            longMean += s.longWeight() * dev;
            longVar = (1 - s.longWeight()) * (longVar + s.longWeight() * dev * dev);
            return Math.min(1.0, Math.log(upperTail(z) + 1e-10) / Math.log(1e-10));
        }

        private static byte quantise(double x) {
            return (byte) Math.round(Math.max(0, Math.min(1, x)) * 255);
        }
    }

    static double upperTail(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    static double erfc(double x) {
        double t = 1.0 / (1.0 + 0.5 * Math.abs(x));
        double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? y : 2 - y;
    }
}
