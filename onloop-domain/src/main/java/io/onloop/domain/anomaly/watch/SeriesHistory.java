package io.onloop.domain.anomaly.watch;

import io.onloop.domain.metrics.MetricSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The most recent points of one series, in a fixed-size ring: the evidence (expected band, chart)
 * and the window the exhaustion forecast fits. Not thread-safe.
 */
final class SeriesHistory {
    private final long[] times;
    private final double[] values;
    private int head;
    private int size;

    SeriesHistory(int capacity) {
        times = new long[capacity];
        values = new double[capacity];
    }

    void add(long epochMillis, double value) {
        times[head] = epochMillis;
        values[head] = value;
        head = (head + 1) % times.length;
        size = Math.min(size + 1, times.length);
    }

    int size() {
        return size;
    }

    /** Oldest first. */
    long[] times() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = times[index(i)];
        }
        return out;
    }

    /** Oldest first. */
    double[] values() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = values[index(i)];
        }
        return out;
    }

    private int index(int i) {
        return (head - size + i + times.length) % times.length;
    }

    /**
     * Of the newest {@code n} points after {@code afterMillis}, the one farthest outside [low, high] (the newer on a
     * tie); null if none is.
     */
    MetricSeries.Point farthestOutside(int n, double low, double high, long afterMillis) {
        MetricSeries.Point farthest = null;
        double distance = 0;
        for (int k = 0; k < Math.min(n, size); k++) {
            int i = index(size - 1 - k);
            if (times[i] <= afterMillis) {
                break;
            }
            double v = values[i];
            double d = v > high ? v - high : v < low ? low - v : 0;
            if (d > distance) {
                distance = d;
                farthest = new MetricSeries.Point(times[i], v);
            }
        }
        return farthest;
    }

    /**
     * What the recent points make normal: the median plus and minus three robust standard
     * deviations (1.4826 times the median absolute deviation). Null when there are no points.
     */
    double[] band() {
        return band(values());
    }

    /** The band of the points before {@code beforeMillis}, or of them all if none is before it. */
    double[] bandBefore(long beforeMillis) {
        long[] t = times();
        int n = 0;
        while (n < t.length && t[n] < beforeMillis) {
            n++;
        }
        return band(n == 0 ? values() : Arrays.copyOf(values(), n));
    }

    private static double[] band(double[] v) {
        if (v.length == 0) {
            return null;
        }
        double median = median(v.clone());
        double[] dev = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            dev[i] = Math.abs(v[i] - median);
        }
        double sigma = 1.4826 * median(dev);
        return new double[] {median - 3 * sigma, median + 3 * sigma};
    }

    /**
     * At most {@code max} points for a chart, oldest first. Each bucket keeps the point farthest
     * from the median, so a spike or a dip survives the downsampling; the newest point is always kept.
     */
    List<MetricSeries.Point> chart(int max) {
        long[] t = times();
        double[] v = values();
        List<MetricSeries.Point> out = new ArrayList<>();
        if (t.length == 0) {
            return out;
        }
        if (t.length <= max) {
            for (int i = 0; i < t.length; i++) {
                out.add(new MetricSeries.Point(t[i], v[i]));
            }
            return out;
        }
        double median = median(v.clone());
        int buckets = max - 1;
        int last = t.length - 1; // kept separately
        for (int b = 0; b < buckets; b++) {
            int from = (int) ((long) b * last / buckets);
            int to = (int) ((long) (b + 1) * last / buckets);
            int best = from;
            for (int i = from; i < to; i++) {
                if (Math.abs(v[i] - median) > Math.abs(v[best] - median)) {
                    best = i;
                }
            }
            out.add(new MetricSeries.Point(t[best], v[best]));
        }
        out.add(new MetricSeries.Point(t[last], v[last]));
        return out;
    }

    long stateBytes() {
        return 16 + 16L * times.length + 16 + 8;
    }

    private static double median(double[] a) {
        Arrays.sort(a);
        int k = a.length / 2;
        return a.length % 2 == 1 ? a[k] : (a[k - 1] + a[k]) / 2;
    }
}
