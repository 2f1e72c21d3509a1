package io.onloop.domain.rightsizing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the rightsizers share: percentiles of a history, the confidence it earns, and a risk built from
 * independent reasons.
 */
final class Findings {

    static final long DAY = 24 * 3600;
    static final double MIB = 1024.0 * 1024;
    static final double GIB = 1024 * MIB;

    private Findings() {
    }

    /** A history as columns: sample times, CPU cores and memory bytes. */
    record Columns(long[] times, double[] cpu, double[] memory) {
        static Columns of(List<UsageSample> samples) {
            int n = samples.size();
            Columns c = new Columns(new long[n], new double[n], new double[n]);
            for (int i = 0; i < n; i++) {
                c.times[i] = samples.get(i).epochSecond();
                c.cpu[i] = samples.get(i).cpuCores();
                c.memory[i] = samples.get(i).memoryBytes();
            }
            return c;
        }
    }

    /** {@code name.p50 .. name.max} of the values, in their unit (percentiles interpolated as numpy's). */
    static void summarize(String name, double[] values, Map<String, Double> into) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int p : new int[]{50, 90, 95, 99}) {
            into.put(name + ".p" + p, KrrSimpleRecommender.percentile(sorted, p / 100.0));
        }
        into.put(name + ".max", sorted[sorted.length - 1]);
    }

    /**
     * VPA's confidence (estimator.go: history in days, counted no higher than its completeness allows) mapped to
     * [0, 1] as the inverse of VPA's upper-bound multiplier {@code 1 + 1/c}: {@code c / (c + 1)}. One complete day
     * gives 0.5, a complete week 0.875, a complete month 0.97. Completeness is the samples present over those
     * expected at the history's usual step (the lower quartile of the steps, so that regular gaps do not hide
     * behind a median), so gaps lower the confidence.
     */
    static double confidence(long[] epochSeconds) {
        if (epochSeconds.length < 2) {
            return 0;
        }
        long span = epochSeconds[epochSeconds.length - 1] - epochSeconds[0];
        long[] steps = new long[epochSeconds.length - 1];
        for (int i = 1; i < epochSeconds.length; i++) {
            steps[i - 1] = epochSeconds[i] - epochSeconds[i - 1];
        }
        Arrays.sort(steps);
        long step = Math.max(1, steps[steps.length / 4]);
        double expected = (double) span / step + 1;
        double completeness = Math.min(1.0, epochSeconds.length / expected);
        double days = (double) span / DAY * completeness;
        return days / (days + 1);
    }

    /** Independent reasons for caution, each with a probability-like weight; combined as 1 - Π(1 - w). */
    static final class Risk {
        private double safe = 1.0;
        private final List<String> reasons = new ArrayList<>();

        Risk add(double weight, String reason) {
            if (weight > 0) {
                safe *= 1 - Math.min(1, weight);
                reasons.add(reason);
            }
            return this;
        }

        double score() {
            return Math.min(1, Math.max(0, 1 - safe));
        }

        List<String> reasons() {
            return List.copyOf(reasons);
        }
    }

    /** A risk reason for a history shorter than a week. */
    static void shortHistory(Risk risk, long spanSeconds) {
        double days = (double) spanSeconds / DAY;
        if (days < 7) {
            risk.add(0.3 * (1 - days / 7), String.format(Locale.ROOT,
                    "short history: %.1f days (a week shows a weekly cycle)", days));
        }
    }

    static Map<String, Double> statistics() {
        return new LinkedHashMap<>();
    }
}
