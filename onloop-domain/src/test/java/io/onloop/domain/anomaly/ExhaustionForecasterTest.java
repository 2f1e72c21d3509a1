package io.onloop.domain.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExhaustionForecasterTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long MINUTE = 60_000L;

    private final ExhaustionForecaster forecaster = new ExhaustionForecaster();

    @Test
    void aDiskFillingLinearlyIsForecastWithinTheBand() {
        // 1 GB per hour from 40 GB, with noise and two spikes; limit 100 GB.
        Random rnd = new Random(7);
        int n = 300;
        long[] t = new long[n];
        double[] gb = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = T0 + i * MINUTE;
            gb[i] = 40 + i / 60.0 + 0.2 * rnd.nextGaussian();
        }
        gb[100] += 15;
        gb[200] -= 10;
        // The truth is the noiseless line: 1 GB per hour from where it stands now.
        double trueHours = 100 - (40 + (n - 1) / 60.0);

        var f = forecaster.forecast(t, gb, 100).orElseThrow();

        assertThat(f.earliest()).isLessThanOrEqualTo(hours(trueHours));
        assertThat(f.latest()).isGreaterThanOrEqualTo(hours(trueHours));
        assertThat(Math.abs(f.expected().toMinutes() - trueHours * 60)).isLessThan(0.05 * trueHours * 60);
        assertThat(f.earliest()).isLessThanOrEqualTo(f.expected());
        assertThat(f.expected()).isLessThanOrEqualTo(f.latest());
    }

    @Test
    void aFlatSeriesForecastsNothing() {
        Random rnd = new Random(8);
        long[] t = new long[200];
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            t[i] = T0 + i * MINUTE;
            v[i] = 70 + rnd.nextGaussian();
        }
        assertThat(forecaster.forecast(t, v, 100)).isEmpty();
    }

    @Test
    void aFallingSeriesForecastsNothing() {
        long[] t = new long[200];
        double[] v = new double[200];
        for (int i = 0; i < 200; i++) {
            t[i] = T0 + i * MINUTE;
            v[i] = 90 - i * 0.1;
        }
        assertThat(forecaster.forecast(t, v, 100)).isEmpty();
    }

    @Test
    void aTrendThatReversesIsCancelled() {
        // A leak that was fixed: the recent window is flat, so the forecast goes away.
        long[] t = new long[600];
        double[] v = new double[600];
        for (int i = 0; i < 600; i++) {
            t[i] = T0 + i * MINUTE;
            v[i] = i < 300 ? 20 + i * 0.1 : 50;
        }
        assertThat(forecaster.forecast(t, v, 100)).isEmpty();
    }

    @Test
    void alreadyAtTheLimitIsNow() {
        long[] t = {T0, T0 + MINUTE, T0 + 2 * MINUTE, T0 + 3 * MINUTE};
        double[] v = {97, 98, 99, 100};
        assertThat(forecaster.forecast(t, v, 100).orElseThrow().expected()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aDiskThatFilledAndStaysFullIsStillAtTheLimit() {
        // Usage cannot rise past full, so the recent window is flat: that is not a trend that reversed.
        long[] t = new long[600];
        double[] v = new double[600];
        for (int i = 0; i < 600; i++) {
            t[i] = T0 + i * MINUTE;
            v[i] = Math.min(100, 50 + i * 0.2);
        }
        assertThat(forecaster.forecast(t, v, 100).orElseThrow().expected()).isEqualTo(Duration.ZERO);
        v[599] = 99.5; // a little freed, but the line still stands at the limit
        assertThat(forecaster.forecast(t, v, 100).orElseThrow().expected()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aResourceFullFromTheFirstSampleIsAtTheLimit() {
        long[] t = new long[50];
        double[] v = new double[50];
        for (int i = 0; i < 50; i++) {
            t[i] = T0 + i * MINUTE;
            v[i] = 100;
        }
        assertThat(forecaster.forecast(t, v, 100).orElseThrow().expected()).isEqualTo(Duration.ZERO);
    }

    private static Duration hours(double h) {
        return Duration.ofMillis(Math.round(h * 3_600_000));
    }
}
