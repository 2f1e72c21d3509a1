package io.onloop.domain.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class EnsembleDetectorTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 300_000L; // five minutes: a daily period of 288 points

    /** Feeds {@code n} noisy points around {@code level} and returns the highest score seen after warm-up. */
    private static double feed(EnsembleDetector d, Random rnd, int from, int n, double level) {
        double max = 0;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, d.score(T0 + i * STEP, level + rnd.nextGaussian()));
        }
        return max;
    }

    private static final double ALARM = EnsembleDetector.Params.DEFAULT.alarm();

    @Test
    void flatNoiseScoresLow() {
        EnsembleDetector d = new EnsembleDetector();
        Random rnd = new Random(1);
        int high = 0;
        double max = 0;
        for (int i = 0; i < 5000; i++) {
            double s = d.score(T0 + i * STEP, 100 + rnd.nextGaussian());
            max = Math.max(max, s);
            if (s >= 0.3) {
                high++;
            }
        }
        // Gaussian noise: about 99% of points low, and nothing near what a real spike scores.
        assertThat(high).isLessThan(100);
        assertThat(max).isLessThan(0.6);
    }

    @Test
    void aSpikeScoresHigh() {
        EnsembleDetector d = new EnsembleDetector();
        Random rnd = new Random(2);
        feed(d, rnd, 0, 2000, 100);
        double spike = d.score(T0 + 2000 * STEP, 130);
        assertThat(spike).isGreaterThan(0.8);
    }

    @Test
    void aLevelShiftScoresHigh() {
        EnsembleDetector d = new EnsembleDetector();
        Random rnd = new Random(3);
        feed(d, rnd, 0, 2000, 100);
        // A shift of six standard deviations raises an alarm within a few points.
        double afterShift = feed(d, rnd, 2000, 5, 106);
        assertThat(afterShift).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void aDailyPatternIsNormalButABreakInItIsNot() {
        EnsembleDetector d = new EnsembleDetector();
        Random rnd = new Random(4);
        double max = 0;
        int days = 10;
        for (int i = 0; i < 288 * days; i++) {
            double daily = 50 + 30 * Math.sin(2 * Math.PI * i / 288.0);
            max = Math.max(max, d.score(T0 + i * STEP, daily + rnd.nextGaussian()));
        }
        assertThat(max).isLessThan(ALARM);
        // At the trough of the day, a value from the peak is out of place.
        int trough = 288 * days + 216;
        for (int i = 288 * days; i < trough; i++) {
            d.score(T0 + i * STEP, 50 + 30 * Math.sin(2 * Math.PI * i / 288.0) + rnd.nextGaussian());
        }
        assertThat(d.score(T0 + trough * STEP, 80)).isGreaterThan(0.8);
    }

    @Test
    void oneIncidentRaisesOneDetection() {
        EnsembleDetector d = new EnsembleDetector();
        Random rnd = new Random(5);
        feed(d, rnd, 0, 2000, 100);
        int alarms = 0;
        for (int i = 2000; i < 2050; i++) {
            if (d.score(T0 + i * STEP, 150 + rnd.nextGaussian()) >= ALARM) {
                alarms++;
            }
        }
        assertThat(alarms).isEqualTo(1);
    }

    @Test
    void stateIsBoundedWhateverTheSeriesLength() {
        EnsembleDetector shortRun = new EnsembleDetector();
        EnsembleDetector longRun = new EnsembleDetector();
        feed(shortRun, new Random(6), 0, 1_000, 10);
        feed(longRun, new Random(6), 0, 200_000, 10);
        assertThat(longRun.stateBytes()).isEqualTo(shortRun.stateBytes());
        // One-minute samples give the largest daily ring buffer.
        EnsembleDetector perMinute = new EnsembleDetector();
        for (int i = 0; i < 100_000; i++) {
            perMinute.score(T0 + i * 60_000L, i % 7);
        }
        assertThat(perMinute.stateBytes()).isLessThan(16L * 1024);
    }

    @Test
    void warmUpOnlyLearns() {
        EnsembleDetector d = new EnsembleDetector();
        for (int i = 0; i < EnsembleDetector.Params.DEFAULT.warmup(); i++) {
            assertThat(d.score(T0 + i * STEP, i % 2 == 0 ? 0 : 1000)).isZero();
        }
    }
}
