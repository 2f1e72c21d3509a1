package io.onloop.domain.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;

class NoveltyDetectorTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long STEP = 300_000L; // five minutes: a day is 288 points
    private static final double ALARM = NoveltyDetector.Params.DEFAULT.alarm();

    /** Feeds {@code n} noisy points around {@code level}; returns how many reached the alarm. */
    private static int alarms(NoveltyDetector d, Random rnd, int from, int n, double level) {
        int alarms = 0;
        for (int i = from; i < from + n; i++) {
            if (d.score(T0 + i * STEP, level + rnd.nextGaussian()) >= ALARM) {
                alarms++;
            }
        }
        return alarms;
    }

    /** Scores {@code n} points from {@code from} on; the index (from 0) of the first alarm, or -1, and how many. */
    private static int[] firstAlarmAndCount(NoveltyDetector d, int from, int n, IntToDoubleFunction value) {
        int first = -1, count = 0;
        for (int i = 0; i < n; i++) {
            if (d.score(T0 + (from + i) * STEP, value.applyAsDouble(i)) >= ALARM) {
                count++;
                first = first < 0 ? i : first;
            }
        }
        return new int[] {first, count};
    }

    @Test
    void stationaryNoiseRaisesNoAlarm() {
        NoveltyDetector d = new NoveltyDetector();
        assertThat(alarms(d, new Random(1), 0, 20_000, 100)).isZero();
    }

    @Test
    void aSpikeRaisesAnAlarm() {
        NoveltyDetector d = new NoveltyDetector();
        Random rnd = new Random(2);
        assertThat(alarms(d, rnd, 0, 3000, 100)).isZero();
        assertThat(d.score(T0 + 3000 * STEP, 115)).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void aLevelShiftRaisesOneAlarmWithinAFewPoints() {
        NoveltyDetector d = new NoveltyDetector();
        Random rnd = new Random(3);
        assertThat(alarms(d, rnd, 0, 3000, 100)).isZero();
        int[] firstAndCount = firstAlarmAndCount(d, 3000, 200, i -> 108 + rnd.nextGaussian());
        assertThat(firstAndCount[0]).isBetween(0, 5);
        assertThat(firstAndCount[1]).isEqualTo(1); // the rest period: one incident, one detection
    }

    @Test
    void aDailyPatternIsNormalButAPeakAtNightIsNot() {
        NoveltyDetector d = new NoveltyDetector();
        Random rnd = new Random(4);
        int days = 14;
        int alarms = 0;
        for (int i = 0; i < 288 * days; i++) {
            double daily = 50 + 30 * Math.sin(2 * Math.PI * i / 288.0);
            alarms += d.score(T0 + i * STEP, daily + rnd.nextGaussian()) >= ALARM ? 1 : 0;
        }
        assertThat(alarms).isZero();
        // At the trough of the day, a run of values that belong to the peak (still within the usual range).
        int trough = 288 * days + 216;
        for (int i = 288 * days; i < trough; i++) {
            d.score(T0 + i * STEP, 50 + 30 * Math.sin(2 * Math.PI * i / 288.0) + rnd.nextGaussian());
        }
        double max = 0;
        for (int i = trough; i < trough + 12; i++) {
            max = Math.max(max, d.score(T0 + i * STEP, 78 + rnd.nextGaussian()));
        }
        assertThat(max).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void aFlatLineThatMovesIsNovel() {
        NoveltyDetector d = new NoveltyDetector();
        for (int i = 0; i < 2000; i++) {
            assertThat(d.score(T0 + i * STEP, 42.0)).isLessThan(ALARM);
        }
        assertThat(d.score(T0 + 2000 * STEP, 43.0)).isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void theLearningPeriodOnlyLearns() {
        NoveltyDetector d = new NoveltyDetector();
        for (int i = 0; i < NoveltyDetector.Params.DEFAULT.learn(); i++) {
            assertThat(d.score(T0 + i * STEP, i % 2 == 0 ? 0 : 1000)).isZero();
        }
    }

    @Test
    void stateIsBoundedWhateverTheSeriesLength() {
        NoveltyDetector shortRun = new NoveltyDetector();
        NoveltyDetector longRun = new NoveltyDetector();
        alarms(shortRun, new Random(6), 0, 1_000, 10);
        Random rnd = new Random(7);
        for (int i = 0; i < 300_000; i++) {
            longRun.score(T0 + i * STEP, rnd.nextDouble() * 1e6); // every point a new context
        }
        assertThat(longRun.stateBytes()).isEqualTo(shortRun.stateBytes()).isLessThan(20L * 1024);
    }

    @Test
    void poissonSurpriseIsMinusLog10OfTheTail() {
        // P(X >= 1) = 1 - e^-lambda
        assertThat(NoveltyDetector.poissonSurprise(1, 0.01)).isCloseTo(-Math.log10(1 - Math.exp(-0.01)), within(1e-9));
        // P(X >= 0) = 1
        assertThat(NoveltyDetector.poissonSurprise(0, 3.0)).isCloseTo(0.0, within(1e-9));
        // P(X >= 2) with lambda 1 = 1 - 2/e
        assertThat(NoveltyDetector.poissonSurprise(2, 1.0)).isCloseTo(-Math.log10(1 - 2 / Math.E), within(1e-9));
    }

    @Test
    void nonsenseParametersAreRefused() {
        assertThatThrownBy(() -> new NoveltyDetector.Params(150, 10, 11, 65, 0.002, 0.5, 300, 64, 6, 14))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NoveltyDetector.Params(150, 10, 30, 16, 0.002, 0.5, 300, 64, 6, 14))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NoveltyDetector.Params(150, 10, 11, 16, 0.002, 0.5, 300, 0, 6, 14))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecondProblemAfterTheFirstHasSettledIsCaught() {
        NoveltyDetector d = new NoveltyDetector();
        Random rnd = new Random(9);
        assertThat(alarms(d, rnd, 0, 3000, 100)).isZero();
        assertThat(d.score(T0 + 3000 * STEP, 115)).as("the first spike").isGreaterThanOrEqualTo(ALARM);
        // back to normal for longer than the calm period, well within the longest rest
        int calm = NoveltyDetector.Params.DEFAULT.calm();
        assertThat(calm).isLessThan(NoveltyDetector.Params.DEFAULT.rest() / 2);
        assertThat(alarms(d, rnd, 3001, calm + 20, 100)).isZero();
        assertThat(d.score(T0 + (3021 + calm) * STEP, 80)).as("a second spike, the other way").isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void theRestLastsWhileTheSeriesKeepsSurprising() {
        NoveltyDetector d = new NoveltyDetector();
        Random rnd = new Random(10);
        assertThat(alarms(d, rnd, 0, 3000, 100)).isZero();
        // a runaway: the series climbs on and on, so it is never calm; one incident, one detection
        int[] firstAndCount = firstAlarmAndCount(d, 3000, 250, i -> 110 + 2 * i + rnd.nextGaussian());
        assertThat(firstAndCount[0]).isBetween(0, 5);
        assertThat(firstAndCount[1]).isEqualTo(1);
    }

    @Test
    void anAlarmInHistoryStartsNoRest() {
        NoveltyDetector d = new NoveltyDetector();
        Random rnd = new Random(11);
        for (int i = 0; i < 3000; i++) {
            d.learn(T0 + i * STEP, 100 + rnd.nextGaussian());
        }
        d.learn(T0 + 3000 * STEP, 115); // would have alarmed, had it been live
        for (int i = 3001; i < 3005; i++) {
            d.learn(T0 + i * STEP, 100 + rnd.nextGaussian());
        }
        assertThat(d.score(T0 + 3005 * STEP, 85)).as("the first live spike").isGreaterThanOrEqualTo(ALARM);
    }

    @Test
    void nonFiniteValuesAreSkipped() {
        NoveltyDetector d = new NoveltyDetector();
        alarms(d, new Random(8), 0, 1000, 5);
        assertThat(d.score(T0 + 1000 * STEP, Double.NaN)).isZero();
        assertThat(d.score(T0 + 1001 * STEP, Double.POSITIVE_INFINITY)).isZero();
    }

    @Test
    void aClimbBeyondTheRecentRangeIsSeenWhereNewContextsAreNothingNew() {
        // Uniform noise on [0, 100): order-2 and order-3 contexts are new all the time and surprise
        // nobody, and 115 or 130 is no spike (about 2.3 and 2.8 standard deviations from the mean). What
        // stands out is that both are beyond anything in the last 4,000 points by more than a tenth of
        // that range (the record kinds; without them 5 of these 10 series raised no alarm on either point).
        for (int seed = 11; seed < 21; seed++) {
            NoveltyDetector d = new NoveltyDetector();
            Random rnd = new Random(seed);
            firstAlarmAndCount(d, 0, 4000, i -> rnd.nextDouble() * 100);
            int[] firstAndCount = firstAlarmAndCount(d, 4000, 2, i -> 115 + 15 * i);
            assertThat(firstAndCount[0]).as("seed %d", seed).isBetween(0, 1);
        }
    }

    @Test
    void burstsThatRecurOverAFlatBaseAlarmLessAndTheBaseNever() {
        // A disk or network counter: a flat base of a few dozen, and every day or two an episode of a few bursts
        // of ten thousand to six million. Before, a burst dragged the hourly mean up while the clipped variance
        // stayed narrow, so ordinary base points after it were spikes (13 alarms on the base here); and bursts,
        // binned at the base's width, landed in bins never seen (201 alarms in the 200 late episodes). With
        // clipped means and bins at a 40th of the recent range: none on the base, 151 in the episodes.
        int baseAlarms = 0, episodeAlarms = 0;
        for (int seed = 31; seed < 41; seed++) {
            NoveltyDetector d = new NoveltyDetector();
            Random rnd = new Random(seed);
            IntToDoubleFunction base = i -> 40 + rnd.nextInt(8) * 12;
            int t = 0;
            for (int episode = 0; episode < 30; episode++) {
                int quiet = 300 + rnd.nextInt(300);
                int[] onBase = firstAlarmAndCount(d, t, quiet, base);
                t += quiet;
                int alarms = 0;
                for (int burst = 3 + rnd.nextInt(8); burst > 0; burst--) {
                    int length = 1 + rnd.nextInt(3), gap = 5 + rnd.nextInt(15);
                    alarms += firstAlarmAndCount(d, t, length, i -> rnd.nextDouble() < 0.7
                            ? Math.exp(9 + rnd.nextDouble() * 4) : 5e6 + rnd.nextDouble() * 1.5e6)[1];
                    alarms += firstAlarmAndCount(d, t + length, gap, base)[1];
                    t += length + gap;
                }
                if (episode >= 10) {
                    baseAlarms += onBase[1];
                    episodeAlarms += alarms;
                }
            }
        }
        assertThat(baseAlarms).isZero();
        assertThat(episodeAlarms).as("alarms in the 200 late episodes").isLessThanOrEqualTo(170);
    }
}
