package io.onloop.domain.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KnnConformalDetectorTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 300_000L;
    private static final double ALARM = KnnConformalDetector.ALARM;
    private static final int LEARN = KnnConformalDetector.Params.DEFAULT.size()
            + KnnConformalDetector.Params.DEFAULT.dim() - 1;

    /** Feeds noisy points around {@code level} and returns the highest score seen. */
    private static double feed(KnnConformalDetector d, Random rnd, int from, int n, double level) {
        double max = 0;
        for (int i = from; i < from + n; i++) {
            max = Math.max(max, d.score(T0 + i * STEP, level + rnd.nextGaussian()));
        }
        return max;
    }

    /** As {@link #feed}, on the raw conformal score (no rest after alarms, which noise can trigger). */
    private static double raw(KnnConformalDetector d, Random rnd, int n, double level) {
        double max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, d.conformity(level + rnd.nextGaussian()));
        }
        return max;
    }

    @Test
    void flatNoiseRarelyAlarms() {
        KnnConformalDetector d = new KnnConformalDetector();
        Random rnd = new Random(1);
        int alarms = 0;
        for (int i = 0; i < 5000; i++) {
            if (d.score(T0 + i * STEP, 100 + rnd.nextGaussian()) >= ALARM) {
                alarms++;
            }
        }
        // A conformal score is about uniform on exchangeable data: ~0.35% of points reach the
        // alarm level, and each alarm silences the next size / 5 points.
        assertThat(alarms).isLessThanOrEqualTo(10);
    }

    @Test
    void aSpikeScoresHigh() {
        KnnConformalDetector d = new KnnConformalDetector();
        Random rnd = new Random(2);
        raw(d, rnd, 2000, 100);
        assertThat(d.conformity(130)).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void aLevelShiftScoresHigh() {
        KnnConformalDetector d = new KnnConformalDetector();
        Random rnd = new Random(3);
        raw(d, rnd, 2000, 100);
        // A shift of six standard deviations is out of place within a few points.
        assertThat(raw(d, rnd, 5, 106)).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void aDailyPatternIsLearnedAndABreakInItIsNot() {
        KnnConformalDetector d = new KnnConformalDetector();
        Random rnd = new Random(4);
        int days = 10;
        for (int i = 0; i < 288 * days + 216; i++) {
            d.conformity(50 + 30 * Math.sin(2 * Math.PI * i / 288.0) + rnd.nextGaussian());
        }
        // At the trough of the day, a value from the peak is out of place.
        assertThat(d.conformity(80)).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void oneIncidentRaisesOneDetection() {
        KnnConformalDetector d = new KnnConformalDetector();
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
        KnnConformalDetector shortRun = new KnnConformalDetector();
        KnnConformalDetector longRun = new KnnConformalDetector();
        feed(shortRun, new Random(6), 0, 2_000, 10);
        feed(longRun, new Random(6), 0, 50_000, 10);
        assertThat(longRun.stateBytes()).isEqualTo(shortRun.stateBytes());
        assertThat(longRun.stateBytes()).isLessThan(200L * 1024);
    }

    @Test
    void aFlatLineIsQuietAndAStepInItAlarms() {
        KnnConformalDetector d = new KnnConformalDetector();
        for (int i = 0; i < 1500; i++) {
            assertThat(d.score(T0 + i * STEP, 0.0)).isZero();
        }
        assertThat(d.score(T0 + 1500 * STEP, 7.0)).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void warmUpOnlyLearns() {
        KnnConformalDetector d = new KnnConformalDetector();
        for (int i = 0; i < LEARN; i++) {
            assertThat(d.score(T0 + i * STEP, i % 2 == 0 ? 0 : 1000)).isZero();
        }
    }
}
