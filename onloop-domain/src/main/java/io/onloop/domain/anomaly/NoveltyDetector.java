package io.onloop.domain.anomaly;

import java.util.Arrays;

/**
 * Scores how unlike its own past the recent behaviour of a series is. Written from first principles
 * after two published ideas (no code was consulted or ported):
 * <ul>
 *   <li><b>Contexts of quantised values</b>, the sequence-novelty idea behind the contextual
 *       detectors described in "Evaluating Real-time Anomaly Detection Algorithms - the Numenta
 *       Anomaly Benchmark" (Lavin &amp; Ahmad, 2015). Each value is put in a bin, at two
 *       resolutions (the finer width is the spread of the first {@code learn} points over
 *       {@code bins}, widened for a series whose recent range dwarfs it: see {@code WIDE_FROM}).
 *       The last one, two and three bins, and the coarse bin at this hour of the day,
 *       are "contexts"; one never seen before is novel. A level shift, a spike, a change of variance
 *       or of shape, or a value unusual for the hour all produce contexts the series has not shown.
 *       Contexts are 64-bit fingerprints in a fixed table of {@code 2^tableBits} slots (two candidate
 *       slots per key), so memory is bounded and old habits are slowly forgotten.</li>
 *   <li><b>Surprise relative to the series' own history</b>, the idea of the "anomaly likelihood" of
 *       Ahmad, Lavin, Purdy &amp; Agha, "Unsupervised real-time anomaly detection for streaming data"
 *       (Neurocomputing 2017): recent evidence is judged against the long-run distribution of the same
 *       evidence, so one threshold fits every series. Here, for each kind of novelty, the number of
 *       novel points among the last {@code window} is compared with the rate at which this series
 *       usually produces them (a Poisson tail), and the surprises (-log10 of the tails) of the kinds
 *       that fire on this point are added. A noisy series makes new contexts all the time and is not
 *       surprised by them; a quiet one is.</li>
 * </ul>
 * Two more kinds of novelty are spikes: a value beyond {@code spikeZ} decaying standard deviations of
 * the series, and one beyond {@code spikeZ} of the usual value at this hour of the day (so a daily
 * peak is normal at noon and not at night). Two more are records: a value above the highest (or below
 * the lowest) of the last 3,841 to 4,096 points by more than a tenth of their range. A record does not
 * depend on the bin width or on the spread, so it still stands out in a series whose contexts are new
 * all the time. A steady trend sets none: each point is only one step beyond the window's extreme, far
 * less than a tenth of its range. Like every kind, a record is judged by how often this series sets
 * one. The output
 * is the surprise over {@code decades} (capped at 1). After an alarm the output stays at 0, so that one
 * incident gives one detection, until the series has been calm (every point below the alarm level) for
 * {@code calm} points in a row, or for {@code rest} points at most: a second problem once the first has
 * settled is not missed. The first {@code learn} points only learn; so do points passed to
 * {@link #learn} (history), which start no rest.
 */
public final class NoveltyDetector implements AnomalyDetector {

    private static final long HOUR_MILLIS = 3_600_000L;
    /** Points after the learning period whose surprise is not yet trusted. */
    private static final int SETTLE = 50;
    /** Resolutions: the fine bin width and twice it. */
    private static final int RESOLUTIONS = 2;
    /** Context kinds per resolution (order 1, 2, 3, and the bin at this hour), then two spikes and two records. */
    private static final int CONTEXTS = 4;
    private static final int SPIKE = RESOLUTIONS * CONTEXTS, HOUR_SPIKE = SPIKE + 1, HIGH = SPIKE + 2, LOW = SPIKE + 3;
    private static final int KINDS = SPIKE + 4;
    /** Records are judged against the extremes of the last {@code RECORD_BLOCKS} blocks of {@code RECORD_BLOCK} points. */
    private static final int RECORD_BLOCK = 256;
    private static final int RECORD_BLOCKS = 16;
    /**
     * A series whose recent range (the records' extremes) is so wide that a 40th of it is more than 64 fine bins
     * (rare huge bursts over a flat base) is binned at a 40th of that range instead, rounded up to a power of two
     * so the bins change seldom; otherwise every burst lands in bins never seen and looks new every time.
     */
    private static final double WIDE_BINS = 40, WIDE_FROM = 64;
    /** How far beyond the recent extremes, as a fraction of their range, a value must be to set a record. */
    private static final double RECORD_MARGIN = 0.1;
    /** Weight of a new point in its hour's mean and variance: about three days of five-minute points. */
    private static final double HOUR_ALPHA = 0.024;
    /** The slow rate forgets five times more slowly: novelty that recurs every few days is not surprising. */
    private static final double SLOW = 0.2;

    /**
     * The same parameters for every series.
     *
     * @param learn      points that only learn (and fix the bin width)
     * @param bins       fine bins across the spread of the learning points
     * @param tableBits  log2 of the context table size (8 bytes a slot)
     * @param window     recent points (at most 64) over which novel points are counted
     * @param rateAlpha  weight of a new point in the usual rate of each kind of novelty
     * @param alarm      output at which an alarm is raised (and the rest period starts)
     * @param rest       points held at 0 after an alarm, at most
     * @param calm       points in a row scored below the alarm level that end the rest early
     * @param spikeZ     distance from the decaying mean, in decaying standard deviations, that is a spike
     * @param decades    surprise (in powers of ten) that maps to an output of 1
     */
    public record Params(int learn, int bins, int tableBits, int window, double rateAlpha,
                         double alarm, int rest, int calm, double spikeZ, double decades) {
        /**
         * Chosen on half of the NAB subset (every other series in alphabetical order); see docs/benchmarks.md.
         * {@code calm} is the shortest that kept that half's standard score (so the detector is deaf for as
         * short a time as that allows).
         */
        public static final Params DEFAULT = new Params(150, 10, 11, 16, 0.002, 0.5, 300, 64, 6.0, 14.0);

        public Params {
            if (learn < 2 || bins < 1 || tableBits < 4 || tableBits > 24 || window < 1 || window > 64
                    || !(rateAlpha > 0 && rateAlpha < 1) || !(decades > 0) || rest < 0 || calm < 1) {
                throw new IllegalArgumentException("invalid novelty detector parameters: " + this);
            }
        }
    }

    private final Params p;
    private final long[] table;
    private final int mask;
    private final long windowMask;
    private double[] learning;
    private long n;
    private double lo, width;
    private final long[] previous = new long[RESOLUTIONS];
    private final long[] beforePrevious = new long[RESOLUTIONS];
    private double mean, var;
    private final long[] recent = new long[KINDS];
    private final double[] rate = new double[KINDS];
    private final double[] slowRate = new double[KINDS];
    private final double[] hourMean = new double[24];
    private final double[] hourVar = new double[24];
    private final int[] hourSeen = new int[24];
    private int quiet;
    private int calmRun;
    /** Highest and lowest value of each block (a ring; {@code block} is the one being filled). */
    private final double[] blockHigh = new double[RECORD_BLOCKS];
    private final double[] blockLow = new double[RECORD_BLOCKS];
    private int block, blockFill;
    /** Extremes of the completed blocks still in the ring. */
    private double pastHigh = Double.NEGATIVE_INFINITY, pastLow = Double.POSITIVE_INFINITY;

    public NoveltyDetector() {
        this(Params.DEFAULT);
    }

    public NoveltyDetector(Params params) {
        this.p = params;
        this.table = new long[1 << params.tableBits()];
        this.mask = table.length - 1;
        this.windowMask = params.window() == 64 ? -1L : (1L << params.window()) - 1;
        this.learning = new double[params.learn()];
        // An even prior (Laplace's rule of succession) until the series has shown its own rates.
        Arrays.fill(rate, 0.5);
        Arrays.fill(slowRate, 0.5);
        Arrays.fill(blockHigh, Double.NEGATIVE_INFINITY);
        Arrays.fill(blockLow, Double.POSITIVE_INFINITY);
    }

    @Override
    public double score(long epochMillis, double value) {
        return step(epochMillis, value, true);
    }

    /** Learns from a point of history: it is scored as usual but raises nothing, so it starts no rest. */
    @Override
    public void learn(long epochMillis, double value) {
        step(epochMillis, value, false);
    }

    private double step(long epochMillis, double value, boolean live) {
        if (!Double.isFinite(value)) {
            return 0.0;
        }
        n++;
        if (n <= p.learn()) {
            learning[(int) n - 1] = value;
            learnMoments(value);
            learnExtremes(value);
            if (n == p.learn()) {
                fixBins();
            }
            return 0.0;
        }
        double out = Math.min(1.0, surprise(epochMillis, value) / p.decades());
        if (quiet > 0) {
            // The rest is for one incident: it ends once the series has been calm for a while.
            calmRun = out < p.alarm() ? calmRun + 1 : 0;
            quiet = calmRun >= p.calm() ? 0 : quiet - 1;
            return 0.0;
        }
        if (live && out >= p.alarm()) {
            quiet = p.rest();
            calmRun = 0;
        }
        return out;
    }

    private void fixBins() {
        double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
        for (double v : learning) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double spread = max - min;
        width = spread > 0 ? spread / p.bins() : Math.max(Math.abs(min) * 1e-3, 1e-9);
        lo = min;
        // Replay the learning points so their contexts are known (the hour is not: no time was kept).
        long seen = n;
        n = 0;
        for (double v : learning) {
            n++;
            novelContexts(-1, v);
        }
        n = seen;
        learning = null;
    }

    /** The summed surprise of the kinds of novelty this point shows (learning from it afterwards). */
    private double surprise(long epochMillis, double x) {
        double sd = Math.sqrt(var);
        boolean spike = n > 30 && sd > 0 && Math.abs(x - mean) > p.spikeZ() * sd;
        int hour = (int) Math.floorMod(epochMillis / HOUR_MILLIS, 24);
        double hourSd = Math.sqrt(hourVar[hour]);
        boolean hourSpike = hourSeen[hour] > 30 && hourSd > 0 && Math.abs(x - hourMean[hour]) > p.spikeZ() * hourSd;
        int novel = novelContexts(hour, x) | (spike ? 1 << SPIKE : 0) | (hourSpike ? 1 << HOUR_SPIKE : 0);
        double high = Math.max(pastHigh, blockHigh[block]), low = Math.min(pastLow, blockLow[block]);
        double range = high - low;
        if (range > 0) {
            novel |= (x > high + RECORD_MARGIN * range ? 1 << HIGH : 0) | (x < low - RECORD_MARGIN * range ? 1 << LOW : 0);
        }
        learnMoments(x);
        learnExtremes(x);
        learnHour(hour, x);
        long k = n - p.learn();
        double fast = Math.max(1.0 / (k + 2), p.rateAlpha());
        double slow = Math.max(1.0 / (k + 2), p.rateAlpha() * SLOW);
        double sum = 0;
        for (int kind = 0; kind < KINDS; kind++) {
            int bit = (novel >>> kind) & 1;
            recent[kind] = ((recent[kind] << 1) | bit) & windowMask;
            if (bit == 1 && k > SETTLE) {
                double usual = Math.max(rate[kind], slowRate[kind]) * p.window();
                sum += poissonSurprise(Long.bitCount(recent[kind]), usual);
            }
            rate[kind] += fast * (bit - rate[kind]);
            slowRate[kind] += slow * (bit - slowRate[kind]);
        }
        return sum;
    }

    /** -log10 of the Poisson probability of at least {@code m} events when {@code lambda} are expected. */
    static double poissonSurprise(int m, double lambda) {
        lambda = Math.max(lambda, 1e-6);
        double logFactorial = 0;
        for (int i = 2; i <= m; i++) {
            logFactorial += Math.log(i);
        }
        double logFirst = -lambda + m * Math.log(lambda) - logFactorial;
        // P(X >= m) = P(X = m) (1 + lambda/(m+1) + lambda^2/((m+1)(m+2)) + ...)
        double tail = 0, term = 1;
        for (int j = m + 1; j < m + 60 && term > 1e-12; j++) {
            term *= lambda / j;
            tail += term;
        }
        return Math.max(0, -(logFirst + Math.log1p(tail)) / Math.log(10));
    }

    /** Bit set of the contexts of this point never seen before; they are known afterwards. */
    private int novelContexts(long hour, double x) {
        int novel = 0;
        double w = width;
        long wide = 0; // a key part of its own per wide width, so their contexts are never confused with these
        double range = Math.max(pastHigh, blockHigh[block]) - Math.min(pastLow, blockLow[block]);
        if (hour >= 0 && Double.isFinite(range) && range / WIDE_BINS > WIDE_FROM * width) {
            int exponent = Math.getExponent(range / WIDE_BINS) + 1;
            w = Math.scalb(1.0, exponent);
            wide = 16L * (exponent + 2048); // above 0 for every double exponent
        }
        for (int r = 0; r < RESOLUTIONS; r++) {
            long q = (long) Math.floor((x - lo) / (w * (1 << r)));
            long kind = 8 * r + wide;
            int bits = 0;
            bits |= known(key(1 + kind, q, 0, 0)) ? 0 : 1;
            bits |= n > 1 && !known(key(2 + kind, q, previous[r], 0)) ? 2 : 0;
            bits |= n > 2 && !known(key(3 + kind, q, previous[r], beforePrevious[r])) ? 4 : 0;
            bits |= hour >= 0 && !known(key(4 + kind, q / 2, hour, 0)) ? 8 : 0;
            beforePrevious[r] = previous[r];
            previous[r] = q;
            novel |= bits << (CONTEXTS * r);
        }
        return novel;
    }

    /** Whether the context was in the table; it is afterwards. */
    private boolean known(long key) {
        long fingerprint = key | 1L; // 0 marks an empty slot
        int a = (int) (key >>> 20) & mask;
        int b = (int) (key >>> 40) & mask;
        if (table[a] == fingerprint || table[b] == fingerprint) {
            return true;
        }
        // One of the two candidate slots is overwritten, alternately, so a full table forgets evenly.
        table[(n & 1) == 0 ? a : b] = fingerprint;
        return false;
    }

    /** A 64-bit mix of the context's kind and bins (SplitMix64-style multiply and xor-shift rounds). */
    private static long key(long kind, long a, long b, long c) {
        long h = kind * 0x9E3779B97F4A7C15L;
        h = (h ^ a) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 31) ^ b) * 0x94D049BB133111EBL;
        h = (h ^ (h >>> 29) ^ c) * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }

    /**
     * Decaying mean and variance for the spike test. A spike is clipped, in both, so that it neither widens the
     * variance much nor drags the mean: a mean dragged by a burst while the variance stays narrow made every
     * ordinary point after it a spike. Not while the spread is zero (a series that starts flat): clipped to
     * nothing, the variance would stay zero for ever.
     */
    private void learnMoments(double x) {
        double a = Math.max(1.0 / n, p.rateAlpha());
        double dv = clipped(x - mean, var, n);
        mean += a * dv;
        var = (1 - a) * (var + a * dv * dv);
    }

    /** Adds the value to the current block of the extremes; a full block starts the next one, dropping the oldest. */
    private void learnExtremes(double x) {
        if (blockFill == RECORD_BLOCK) {
            block = (block + 1) % RECORD_BLOCKS;
            blockHigh[block] = Double.NEGATIVE_INFINITY;
            blockLow[block] = Double.POSITIVE_INFINITY;
            blockFill = 0;
            pastHigh = Double.NEGATIVE_INFINITY;
            pastLow = Double.POSITIVE_INFINITY;
            for (int b = 0; b < RECORD_BLOCKS; b++) {
                if (b != block) {
                    pastHigh = Math.max(pastHigh, blockHigh[b]);
                    pastLow = Math.min(pastLow, blockLow[b]);
                }
            }
        }
        blockHigh[block] = Math.max(blockHigh[block], x);
        blockLow[block] = Math.min(blockLow[block], x);
        blockFill++;
    }

    /** A deviation clipped to {@code spikeZ} standard deviations, once 30 points are in and there is a spread. */
    private double clipped(double d, double variance, long seen) {
        double sd = Math.sqrt(variance);
        return seen > 30 && sd > 0 ? Math.max(-p.spikeZ() * sd, Math.min(p.spikeZ() * sd, d)) : d;
    }

    /** The usual value at each hour of the day (UTC): a decaying mean and variance per hour, clipped as above. */
    private void learnHour(int hour, double x) {
        int seen = ++hourSeen[hour];
        double a = Math.max(1.0 / seen, HOUR_ALPHA);
        double dv = clipped(x - hourMean[hour], hourVar[hour], seen);
        hourMean[hour] += a * dv;
        hourVar[hour] = (1 - a) * (hourVar[hour] + a * dv * dv);
    }

    @Override
    public long stateBytes() {
        long arrays = (16 + 8L * table.length) + (learning == null ? 0 : 16 + 8L * learning.length)
                + 2 * (16 + 8L * RESOLUTIONS) + (16 + 8L * KINDS) + 2 * (16 + 8L * KINDS) + 3 * (16 + 8L * 24)
                + 2 * (16 + 8L * RECORD_BLOCKS);
        return 16 + arrays + 10 * 8 + 5 * 4;
    }
}
