package io.onloop.bench.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class NabScorerTest {

    static final NabScorer.Profile STANDARD = new NabScorer.Profile("standard", 1.0, 0.11, 1.0);

    /**
     * The layout of NAB's realKnownCause/rogue_agent_key_hold.csv (1,882 rows, windows on rows
     * 669-763 and 1240-1334); the expected sweep scores are NAB's own, column S(t)_standard of
     * numenta/NAB results/ARTime/realKnownCause/ARTime_rogue_agent_key_hold.csv (commit 5a98e4f).
     */
    @Test
    void sweepScoresAreNabsOwn() {
        int[][] windows = {{669, 763}, {1240, 1334}};
        List<NabScorer.Row> rows = NabScorer.sweepRows(new double[1882], windows, 0, STANDARD);
        int probation = NabScorer.probationaryLength(1882);
        assertThat(probation).isEqualTo(282);
        double[] expected = new double[1882];
        expected[300] = -0.11;                  // before the first window
        expected[669] = 1.0;                    // first row of a window
        expected[670] = 0.999271976198034;
        expected[763] = 0.02666666848596921;    // last row of the window
        expected[764] = -0.0029248423342903623; // first row after it
        expected[1044] = -0.10999992902488866;  // 281/94 window widths after
        expected[1045] = -0.10999993270151008;  // exactly 3 widths after: still the sigmoid
        expected[1046] = -0.11;                 // beyond 3 widths
        for (int i : new int[] {300, 669, 670, 763, 764, 1044, 1045, 1046}) {
            assertThat(rows.get(i - probation).sweepScore()).as("row %d", i).isCloseTo(expected[i], within(1e-12));
        }
    }

    @Test
    void aPerfectDetectorScores100AndASilentOne0() {
        int[][] windows = {{400, 499}, {800, 899}};
        double[] perfect = new double[1000];
        perfect[400] = 1;
        perfect[800] = 1;
        NabScorer.Result best = NabScorer.optimize(STANDARD, NabScorer.sweepRows(perfect, windows, 0, STANDARD), 2);
        NabScorer.Result silent = NabScorer.optimize(STANDARD, NabScorer.sweepRows(new double[1000], windows, 0, STANDARD), 2);
        assertThat(best.normalized()).isCloseTo(100.0, within(1e-9));
        assertThat(silent.normalized()).isCloseTo(0.0, within(1e-9));
    }

    @Test
    void theThresholdIsSweptAndAFalsePositiveCostsItsWeight() {
        int[][] windows = {{400, 499}};
        double[] scores = new double[1000];
        scores[200] = 0.9; // well before the window: -0.11
        scores[450] = 0.8; // the middle of the window
        NabScorer.Result r = NabScorer.optimize(STANDARD, NabScorer.sweepRows(scores, windows, 0, STANDARD), 1);
        // At 0.8 both count: the window's reward minus one false positive beats the miss (-1).
        assertThat(r.threshold()).isEqualTo(0.8);
        assertThat(r.tp()).isEqualTo(1);
        assertThat(r.fp()).isEqualTo(1);
        double reward = NabScorer.scaledSigmoid(-(499 - 450 + 1) / 100.0) / NabScorer.scaledSigmoid(-1.0);
        assertThat(r.raw()).isCloseTo(reward - 0.11, within(1e-12));
    }
}
