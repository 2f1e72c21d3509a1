package io.onloop.bench.anomaly;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The NAB score, following numenta/NAB nab/sweeper.py (calcSweepScore, calcScoreByThreshold,
 * _getProbationaryLength) and nab/runner.py (normalize):
 * <ul>
 *   <li>every row gets a weighted "sweep score": inside a window, scaledSigmoid of its relative
 *       position {@code -(right - i + 1) / width} times tpWeight / scaledSigmoid(-1); outside,
 *       scaledSigmoid of {@code |prevRight - i| / (prevWidth - 1)} times fpWeight (-1 beyond 3, not
 *       at 3), or -fpWeight before the first window;</li>
 *   <li>rows in the probationary period ({@code min(floor(0.15 n), 0.15 * 5000)}) are dropped;</li>
 *   <li>at a threshold, each window scores the best (earliest) detection in it, or -fnWeight if
 *       none; false positives add up;</li>
 *   <li>one threshold for the whole corpus, the one that maximises the total (a sweep over every
 *       distinct anomaly score, as the optimizer does);</li>
 *   <li>normalised: 100 (raw - null) / (perfect - null), perfect = windows x tpWeight, null =
 *       the detector that never fires = -windows x fnWeight.</li>
 * </ul>
 */
final class NabScorer {

    record Profile(String name, double tpWeight, double fpWeight, double fnWeight) {}

    /** One scored row: its anomaly score, its sweep score and its window (-1 outside any window). */
    record Row(double anomalyScore, double sweepScore, int window) {}

    record Result(String profile, double threshold, double raw,
                  double normalized, int tp, int fp, int fn) {}

    private static final double PROBATION_PERCENT = 0.15;

    static double scaledSigmoid(double relativePosition) {
        if (relativePosition > 3.0) {
            return -1.0; // a false positive well after the window
        }
        return 2.0 / (1.0 + Math.exp(5.0 * relativePosition)) - 1.0;
    }

    static int probationaryLength(int rows) {
        return (int) Math.min(Math.floor(PROBATION_PERCENT * rows), PROBATION_PERCENT * 5000);
    }

    /**
     * Rows of one series outside the probationary period. {@code windows} holds inclusive
     * [start, end] row indices in time order; window ids are {@code firstWindowId + k}.
     */
    static List<Row> sweepRows(double[] scores, int[][] windows, int firstWindowId, Profile profile) {
        double maxTp = scaledSigmoid(-1.0);
        int probation = probationaryLength(scores.length);
        List<Row> rows = new ArrayList<>(scores.length);
        int next = 0;
        int cur = -1;
        int prevRight = -1;
        double prevWidth = 0;
        for (int i = 0; i < scores.length; i++) {
            if (cur < 0 && next < windows.length && i == windows[next][0]) {
                cur = next++;
            }
            double sweep;
            if (cur >= 0) {
                int right = windows[cur][1];
                double width = right - windows[cur][0] + 1;
                sweep = scaledSigmoid(-(right - i + 1) / width) * profile.tpWeight() / maxTp;
            } else {
                // before the first window NAB counts -1 directly; at exactly 3 widths after one it
                // still uses the sigmoid (its test is "> 3")
                double unweighted = prevRight < 0 ? -1.0 : scaledSigmoid(Math.abs(prevRight - i) / (prevWidth - 1));
                sweep = unweighted * profile.fpWeight();
            }
            if (i >= probation) {
                rows.add(new Row(scores[i], sweep, cur < 0 ? -1 : firstWindowId + cur));
            }
            if (cur >= 0 && i == windows[cur][1]) {
                prevRight = i;
                prevWidth = windows[cur][1] - windows[cur][0] + 1;
                cur = -1;
            }
        }
        return rows;
    }

    /** Sweeps every distinct score as the threshold and keeps the best corpus total. */
    static Result optimize(Profile profile, List<Row> corpus, int windowCount) {
        List<Row> sorted = new ArrayList<>(corpus);
        sorted.sort(Comparator.comparingDouble(Row::anomalyScore).reversed());
        double[] windowPart = new double[windowCount];
        java.util.Arrays.fill(windowPart, -profile.fnWeight());
        boolean[] detected = new boolean[windowCount];
        double fpPart = 0;
        double windowSum = -profile.fnWeight() * windowCount;
        int tp = 0, fp = 0;

        double curThreshold = 1.1; // above every score: nothing detected
        double bestScore = windowSum, bestThreshold = curThreshold;
        int bestTp = 0, bestFp = 0;
        for (Row row : sorted) {
            if (row.anomalyScore() != curThreshold) {
                double total = windowSum + fpPart;
                if (total > bestScore) {
                    bestScore = total;
                    bestThreshold = curThreshold;
                    bestTp = tp;
                    bestFp = fp;
                }
                curThreshold = row.anomalyScore();
            }
            if (row.window() < 0) {
                fpPart += row.sweepScore();
                fp++;
            } else {
                int w = row.window();
                if (row.sweepScore() > windowPart[w]) {
                    windowSum += row.sweepScore() - windowPart[w];
                    windowPart[w] = row.sweepScore();
                }
                if (!detected[w]) {
                    detected[w] = true;
                    tp++;
                }
            }
        }
        double total = windowSum + fpPart;
        if (total > bestScore) {
            bestScore = total;
            bestThreshold = curThreshold;
            bestTp = tp;
            bestFp = fp;
        }
        double nullScore = -profile.fnWeight() * windowCount;
        double perfect = profile.tpWeight() * windowCount;
        double normalized = 100.0 * (bestScore - nullScore) / (perfect - nullScore);
        return new Result(profile.name(), bestThreshold, bestScore, normalized,
                bestTp, bestFp, windowCount - bestTp);
    }

    /** The raw score of one series at a fixed threshold (for a per-series breakdown). */
    static double scoreAt(List<Row> rows, double threshold, Profile profile) {
        Map<Integer, Double> best = new HashMap<>();
        double fpPart = 0;
        for (Row row : rows) {
            if (row.window() >= 0) {
                best.putIfAbsent(row.window(), -profile.fnWeight());
            }
            if (row.anomalyScore() >= threshold) {
                if (row.window() < 0) {
                    fpPart += row.sweepScore();
                } else {
                    best.merge(row.window(), row.sweepScore(), Math::max);
                }
            }
        }
        return fpPart + best.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private NabScorer() {}
}
