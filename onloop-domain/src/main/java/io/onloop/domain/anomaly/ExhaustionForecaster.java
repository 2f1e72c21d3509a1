package io.onloop.domain.anomaly;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Time until a saturating resource (disk, memory, a connection pool, a quota) reaches its limit.
 * The trend is a Theil–Sen line (the median of pairwise slopes, robust to spikes and to a few
 * outliers) over the last {@code window} points, or over those since the last break in them (a change of level or
 * rate, {@link #bestBreak}: a log that started to run away, a cleanup, a one-off jump); the band comes from the
 * residual spread (a robust sigma from the median absolute residual) and the slope's standard error.
 * At the limit (the median of the latest samples, or a rising line and the latest sample, at or above it): zero.
 * Otherwise no forecast when the trend is flat (not clearly above zero) or falling.
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
        double recent = medianOfLast(values, Math.min(RECENT, n));
        // At the limit now (the median of the last few samples, so one dip does not count): a full disk's usage cannot
        // rise any more, and its flat trend must not read as "no forecast", which would cancel the warning while full.
        if (recent >= limit) {
            return Optional.of(new Forecast(Duration.ZERO, Duration.ZERO, Duration.ZERO));
        }
        // The trend of the current regime only: a disk that was flat for a day and fills fast since an hour ago fills
        // at the new rate; one emptied (or one that jumped once and stays) is no longer on the old line.
        int start = values.length - n;
        for (int b; (b = bestBreak(epochMillis, values, start)) != start; ) {
            start = b; // and again in what follows it, until no break is left: the last one
        }
        int from = start;
        n = values.length - from;
        if (n < 3) {
            return Optional.empty();
        }
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
        // a line's residuals spread less than the noise by sqrt((n - 2) / n): two of their degrees of freedom went to it;
        // and the median absolute residual of a few points is low by about n / (n - 0.8) (Croux and Rousseeuw, 1992)
        double sigma = 1.4826 * median(absResiduals) * Math.sqrt(n / (n - 2.0)) * n / (n - 0.8);
        // few points since a break say little: wider than 2 sigma, as Student's t with the degrees of freedom a median
        // absolute deviation is worth (it is about 37% as efficient as the standard deviation)
        double z = studentT((int) Math.round(0.37 * (n - 2)));
        double sxx = 0;
        for (double ti : t) {
            sxx += (ti - meanT) * (ti - meanT);
        }
        double slopeError = sxx > 0 ? sigma / Math.sqrt(sxx) : Double.POSITIVE_INFINITY;

        // Flat or falling: nothing to forecast (and a pending warning should be cancelled).
        if (slope <= 0 || slope - z * slopeError <= 0) {
            return Optional.empty();
        }
        // The line may run ahead of the samples (they fell off it a moment ago, too few yet to show a break, or it
        // reaches the limit before they do): then the time is counted from where the samples are.
        if (level >= limit && values[values.length - 1] >= limit) {
            return Optional.of(new Forecast(Duration.ZERO, Duration.ZERO, Duration.ZERO)); // rising, and reached it
        }
        double now = Math.max(recent, values[values.length - 1]); // the median lags a clean ramp by two samples
        if (now < level - z * sigma || level >= limit) {
            level = now;
        }
        double expected = (limit - level) / slope;
        double earliest = Math.max(0, (limit - level - z * sigma) / (slope + z * slopeError));
        double latest = (limit - level + z * sigma) / (slope - z * slopeError);
        return Optional.of(new Forecast(hours(expected), hours(earliest), hours(latest)));
    }

    /**
     * Whether a resource that was at its limit still is: the median of its latest samples within 1% of the limit. A
     * full disk's usage jitters around its size; below the limit by a hair it has no trend, which would resolve the
     * warning and raise it again at the next jitter above. Only a real drop (a cleanup) ends it.
     */
    public static boolean stillAtLimit(double[] values, double limit) {
        return values.length > 0 && medianOfLast(values, RECENT) >= limit - 0.01 * Math.abs(limit);
    }

    /**
     * Student's t with {@code df} degrees of freedom at the level {@link #Z} is for the normal (2 sigma, 95.4% two-sided):
     * Hill's expansion around it, within 1% from 3 degrees of freedom on; 1 and 2 exactly.
     */
    static double studentT(int df) {
        if (df < 3) {
            return df <= 1 ? 13.97 : 4.527;
        }
        double z = Z;
        double v = df;
        return z + (z * z * z + z) / (4 * v) + (5 * Math.pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v)
                + (3 * Math.pow(z, 7) + 19 * Math.pow(z, 5) + 17 * z * z * z - 15 * z) / (384 * v * v * v);
    }

    /** The median of the last {@code count} values (of all, if there are fewer). */
    private static double medianOfLast(double[] values, int count) {
        return median(Arrays.copyOfRange(values, Math.max(0, values.length - count), values.length));
    }

    /** The fewest points on either side of a break: fewer cannot show a trend of their own. */
    private static final int MIN_SEGMENT = 6;
    /**
     * How much better two lines must fit than one for a break (an F statistic): high, because the best of ~240
     * candidate breaks is taken and metric noise is not independent; a real change of rate or level is far above it.
     */
    private static final double BREAK_F = 30;

    /**
     * The most significant break in {@code v[from..]} (a change of level or rate): where two lines, one each side, fit
     * much better than one line through everything; {@code from} when there is none. Least squares on running sums,
     * so every candidate costs O(1); values relative to the first, so that byte counts in the 10^12 keep their
     * precision in the sums of squares.
     */
    static int bestBreak(long[] epochMillis, double[] v, int from) {
        int n = v.length - from;
        if (n < 2 * MIN_SEGMENT) {
            return from;
        }
        long t0 = epochMillis[v.length - 1];
        double[] st = new double[n + 1];
        double[] sy = new double[n + 1];
        double[] stt = new double[n + 1];
        double[] sty = new double[n + 1];
        double[] syy = new double[n + 1];
        for (int i = 0; i < n; i++) {
            double t = (epochMillis[from + i] - t0) / 3_600_000.0;
            double y = v[from + i] - v[from];
            st[i + 1] = st[i] + t;
            sy[i + 1] = sy[i] + y;
            stt[i + 1] = stt[i] + t * t;
            sty[i + 1] = sty[i] + t * y;
            syy[i + 1] = syy[i] + y * y;
        }
        double one = sse(st, sy, stt, sty, syy, 0, n);
        double best = Double.POSITIVE_INFINITY;
        int at = -1;
        for (int b = MIN_SEGMENT; b <= n - MIN_SEGMENT; b++) {
            double two = sse(st, sy, stt, sty, syy, 0, b) + sse(st, sy, stt, sty, syy, b, n);
            if (two < best) {
                best = two;
                at = b;
            }
        }
        double f = ((one - best) / 2) / (Math.max(best, 1e-12 * Math.max(1, one)) / (n - 4));
        return at >= 0 && f > BREAK_F ? from + at : from;
    }

    /** The residual sum of squares of the least-squares line through points [a, b). */
    private static double sse(double[] st, double[] sy, double[] stt, double[] sty, double[] syy, int a, int b) {
        int k = b - a;
        double t = st[b] - st[a];
        double y = sy[b] - sy[a];
        double tt = stt[b] - stt[a] - t * t / k;
        double ty = sty[b] - sty[a] - t * y / k;
        double yy = syy[b] - syy[a] - y * y / k;
        return Math.max(0, tt > 0 ? yy - ty * ty / tt : yy);
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
