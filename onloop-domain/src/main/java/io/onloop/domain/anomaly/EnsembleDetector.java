package io.onloop.domain.anomaly;

/**
 * A small robust ensemble, learned online with constant state per series:
 * <ul>
 *   <li>spike: distance of the point from a slowly decaying mean, in decaying standard deviations;</li>
 *   <li>level shift: distance of a fast mean from the slow mean, in standard errors of the fast mean;</li>
 *   <li>seasonal: when the sampling interval gives a daily period of at most {@link #MAX_PERIOD} points
 *       and the value a day ago predicts better than the mean does, the spike is measured against the
 *       same time yesterday instead (so a daily peak is normal, and a peak at night is not).</li>
 * </ul>
 * The strongest signal is then compared with how this series usually scores (a decaying mean and
 * deviation of the raw signal, as HTM's anomaly likelihood does), so one threshold fits every series.
 * The first {@code warmup} points only learn, and after an alarm the output is held at 0 for a while:
 * one incident should raise one detection, not a burst.
 */
public final class EnsembleDetector implements AnomalyDetector {

    /** Largest daily period kept (one day of one-minute samples), which bounds the state. */
    public static final int MAX_PERIOD = 1440;
    private static final long DAY_MILLIS = 86_400_000L;
    /** Points the mean and variance learn before the raw signal is trusted. */
    private static final int SETTLE = 30;

    /** The same parameters for every series. */
    public record Params(double slowAlpha, double fastAlpha, double rawAlpha, int warmup,
                         double alarm, int suppress, boolean seasonal) {
        public static final Params DEFAULT = new Params(0.003, 0.2, 0.002, 150, 0.5, 400, true);
    }

    private final Params p;
    private long n;
    private long firstMillis = Long.MIN_VALUE;
    private long lastMillis;
    private double mean, var, fast;
    private double rawMean, rawVar;
    private int quiet;
    // Seasonal memory, allocated once the sampling interval is known.
    private double[] day;
    private int dayIndex;
    private double seasonalVar;

    public EnsembleDetector() {
        this(Params.DEFAULT);
    }

    public EnsembleDetector(Params params) {
        this.p = params;
    }

    @Override
    public double score(long epochMillis, double value) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        n++;
        if (n == 1) {
            firstMillis = epochMillis;
            mean = value;
            fast = value;
            lastMillis = epochMillis;
            return 0.0;
        }
        if (n == 2 && p.seasonal()) {
            allocateDay(epochMillis - firstMillis);
        }
        lastMillis = epochMillis;

        double raw = rawScore(value);
        learn(value);

        // Normalise the raw signal by its own history. It is learned only once the mean and
        // variance have settled, and clipped so that an incident does not teach the detector
        // that incidents are normal.
        if (n <= SETTLE) {
            return 0.0;
        }
        long k = n - SETTLE;
        double rawSd = Math.max(Math.sqrt(rawVar), 1e-6);
        double u = k > 1 ? (raw - rawMean) / rawSd : 0.0;
        double a = Math.max(1.0 / k, p.rawAlpha());
        double d = (k > SETTLE ? Math.min(raw, rawMean + 4 * rawSd) : raw) - rawMean;
        rawMean += a * d;
        rawVar = (1 - a) * (rawVar + a * d * d);

        if (n <= p.warmup()) {
            return 0.0;
        }
        double s = u > 0 ? 1.0 - Math.exp(-u / 8.0) : 0.0;
        if (quiet > 0) {
            quiet--;
            return 0.0;
        }
        if (s >= p.alarm()) {
            quiet = p.suppress();
        }
        return s;
    }

    private double rawScore(double x) {
        double sd = Math.max(Math.sqrt(var), 1e-9 * (Math.abs(mean) + 1.0));
        double spike = Math.abs(x - mean) / sd;
        double fastNext = fast + p.fastAlpha() * (x - fast);
        double shift = Math.abs(fastNext - mean) / (sd * Math.sqrt(p.fastAlpha() / (2 - p.fastAlpha())));
        // The seasonal variance is trusted once it has learned from a few residuals.
        if (day != null && n > day.length + 1 + SETTLE) {
            double seasonalSd = Math.max(Math.sqrt(seasonalVar), 1e-9 * (Math.abs(mean) + 1.0));
            double seasonalSpike = Math.abs(x - day[dayIndex]) / seasonalSd;
            // Yesterday's value is the better predictor when the day explains most of the variance.
            if (seasonalVar < var) {
                spike = seasonalSpike;
            }
        }
        return Math.max(spike, shift);
    }

    private void learn(double x) {
        double a = Math.max(1.0 / n, p.slowAlpha());
        double sd = Math.sqrt(var);
        double d = x - mean;
        // Winsorise what the variance learns so that one spike does not blind it for days.
        double dv = n > 10 ? Math.max(-6 * sd, Math.min(6 * sd, d)) : d;
        mean += a * d;
        var = (1 - a) * (var + a * dv * dv);
        fast += p.fastAlpha() * (x - fast);
        if (day != null) {
            if (n > day.length + 1) {
                double r = x - day[dayIndex];
                double as = Math.max(1.0 / (n - day.length - 1), p.slowAlpha());
                seasonalVar += as * (r * r - seasonalVar);
            }
            day[dayIndex] = x;
            dayIndex = (dayIndex + 1) % day.length;
        }
    }

    private void allocateDay(long intervalMillis) {
        if (intervalMillis <= 0) {
            return;
        }
        long period = DAY_MILLIS / intervalMillis;
        if (period >= 4 && period <= MAX_PERIOD && DAY_MILLIS % intervalMillis == 0) {
            day = new double[(int) period];
        }
    }

    @Override
    public long stateBytes() {
        // Object header and fields, plus the seasonal array when there is one.
        long fields = 16 + 8 * 3 + 8 * 6 + 4 * 2 + 8 + 8;
        return fields + (day == null ? 0 : 16 + 8L * day.length);
    }
}
