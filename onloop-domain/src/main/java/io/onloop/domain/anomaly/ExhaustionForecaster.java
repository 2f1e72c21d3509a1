package io.onloop.domain.anomaly;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Time until a saturating resource (disk, memory, a connection pool, a quota) reaches its limit.
 * The trend is a Theil–Sen line (the median of pairwise slopes, robust to spikes and to a few
 * outliers) over the last {@code window} points; the band comes from the residual spread (a
 * robust sigma from the median absolute residual) and the slope's standard error.
 * At the limit (the latest samples, or a rising line's level, at or above it): zero. Otherwise no forecast when the
 * trend is flat (not clearly above zero) or falling.
 */
public final class ExhaustionForecaster {

    /** Expected time to the limit, with the earliest and latest plausible times (about 95%). */
    public record Forecast(Duration expected, Duration earliest, Duration latest) {}

    private static final double Z = 2.0;
    /** How many of the latest samples say whether the resource is at its limit now. */
    private static final int RECENT = 5;
    private final int window;

    public ExhaustionForecaster() {
        this(256);
    }

    /** @param window how many of the most recent points are used (bounds the O(window²) fit) */
    public ExhaustionForecaster(int window) {
        if (window < 3) {
            throw new IllegalArgumentException("window must be at least 3");
        }
        this.window = window;
    }

    /**
     * @param epochMillis sample times, increasing
     * @param values      samples, same length
     * @param limit       the value at which the resource is exhausted
     */
    public Optional<Forecast> forecast(long[] epochMillis, double[] values, double limit) {
        if (epochMillis.length != values.length) {
            throw new IllegalArgumentException("times and values differ in length");
        }
        int n = Math.min(window, values.length);
        if (n < 3) {
            return Optional.empty();
        }
        int from = values.length - n;
        long t0 = epochMillis[values.length - 1];
        // Hours relative to the last sample keep the numbers well conditioned.
        double[] t = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (epochMillis[from + i] - t0) / 3_600_000.0;
            y[i] = values[from + i];
        }

        double[] slopes = new double[n * (n - 1) / 2];
        int m = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (t[j] != t[i]) {
                    slopes[m++] = (y[j] - y[i]) / (t[j] - t[i]);
                }
            }
        }
        if (m == 0) {
            return Optional.empty();
        }
        double slope = median(Arrays.copyOf(slopes, m)); // per hour
        double[] intercepts = new double[n];
        for (int i = 0; i < n; i++) {
            intercepts[i] = y[i] - slope * t[i];
        }
        double level = median(intercepts.clone()); // the fitted value now (t = 0)

        double[] absResiduals = new double[n];
        double meanT = 0;
        for (int i = 0; i < n; i++) {
            absResiduals[i] = Math.abs(intercepts[i] - level);
            meanT += t[i] / n;
        }
        double sigma = 1.4826 * median(absResiduals);
        double sxx = 0;
        for (double ti : t) {
            sxx += (ti - meanT) * (ti - meanT);
        }
        double slopeError = sxx > 0 ? sigma / Math.sqrt(sxx) : Double.POSITIVE_INFINITY;

        // At the limit now (the median of the last few samples, so one dip does not count): a full disk's usage cannot
        // rise any more, and its flat trend must not read as "no forecast", which would cancel the warning while full.
        if (median(Arrays.copyOfRange(y, Math.max(0, n - RECENT), n)) >= limit) {
            return Optional.of(new Forecast(Duration.ZERO, Duration.ZERO, Duration.ZERO));
        }
        // Flat or falling: nothing to forecast (and a pending warning should be cancelled).
        if (slope <= 0 || slope - Z * slopeError <= 0) {
            return Optional.empty();
        }
        if (level >= limit) {
            return Optional.of(new Forecast(Duration.ZERO, Duration.ZERO, Duration.ZERO));
        }
        double expected = (limit - level) / slope;
        double earliest = Math.max(0, (limit - level - Z * sigma) / (slope + Z * slopeError));
        double latest = (limit - level + Z * sigma) / (slope - Z * slopeError);
        return Optional.of(new Forecast(hours(expected), hours(earliest), hours(latest)));
    }

    private static Duration hours(double h) {
        return Duration.ofMillis(Math.round(Math.min(h, 1e9) * 3_600_000.0));
    }

    private static double median(double[] a) {
        Arrays.sort(a);
        int k = a.length / 2;
        return a.length % 2 == 1 ? a[k] : (a[k - 1] + a[k]) / 2;
    }
}
