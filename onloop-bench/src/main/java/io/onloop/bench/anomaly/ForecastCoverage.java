package io.onloop.bench.anomaly;

import io.onloop.domain.anomaly.ExhaustionForecaster;

import java.util.Optional;
import java.util.Random;

/**
 * How often the exhaustion forecast's band ("about 95%") holds the truth soon after a change of rate: series flat at
 * 100 for 200 minutes, then rising 1-5 a minute, with Gaussian noise; the limit 1-5 hours ahead on the clean line. For
 * each number of minutes after the change, over {@code seeds} series: how many were forecast at all, the share whose
 * band held the true time left, and the band's mean width relative to it. The same series as
 * {@code ExhaustionForecasterTest}. Arguments: {@code noise} (default 2) and {@code seeds} (default 200).
 */
public final class ForecastCoverage {

    private static final long MINUTE = 60_000L;

    public static void main(String[] args) {
        double noise = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        int seeds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        var forecaster = new ExhaustionForecaster(240);
        for (int after : new int[]{6, 8, 10, 15, 20, 30, 60, 120}) {
            int forecast = 0;
            int held = 0;
            double width = 0;
            for (int seed = 0; seed < seeds; seed++) {
                Random rnd = new Random(seed);
                int n = 200 + after;
                long[] t = new long[n];
                double[] v = new double[n];
                double rate = 1 + 4 * rnd.nextDouble();
                for (int i = 0; i < n; i++) {
                    t[i] = i * MINUTE;
                    v[i] = (i < 200 ? 100 : 100 + rate * (i - 199)) + noise * rnd.nextGaussian();
                }
                double truth = (60 + rnd.nextInt(240)) * MINUTE;
                Optional<ExhaustionForecaster.Forecast> f = forecaster.forecast(t, v, 100 + rate * after + rate * truth / MINUTE);
                if (f.isPresent()) {
                    forecast++;
                    held += f.get().earliest().toMillis() <= truth && truth <= f.get().latest().toMillis() ? 1 : 0;
                    width += (f.get().latest().toMillis() - f.get().earliest().toMillis()) / truth;
                }
            }
            System.out.printf("noise %.1f, %3d minutes after: forecast %d of %d, band held the truth in %.1f%%,"
                    + " mean width %.2f of the time left%n", noise, after, forecast, seeds,
                    100.0 * held / Math.max(1, forecast), width / Math.max(1, forecast));
        }
    }

    private ForecastCoverage() {
    }
}
