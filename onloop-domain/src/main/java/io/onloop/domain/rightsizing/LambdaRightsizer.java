package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.inventory.LambdaFunction;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static io.onloop.domain.rightsizing.Findings.DAY;

/**
 * Recommends a Lambda function's memory size from its invocations, durations and the memory it used.
 * <p>
 * Lambda gives CPU in proportion to memory (one vCPU at {@value #ONE_VCPU_MB} MB), so less memory can mean a
 * longer, not a cheaper, invocation. Duration is modelled as {@code d(m) = d₀ × ((1 − f) + f × cpu(m₀) / cpu(m))}
 * with {@code cpu(m) = min(m, 1769)} (one thread, the common handler: more than one vCPU does not speed it up)
 * and {@code f} the CPU-bound share of the duration: fitted by least squares when the history has run at two or
 * more memory sizes, otherwise assumed {@value #ASSUMED_CPU_BOUND} (and the risk says so). Cost per month is
 * invocations × (GB × d(m) × price per GB-second + price per request). The recommendation is the cheapest size that
 * holds the peak memory used × 1.2 (and +64 MB), keeps the modelled duration within {@link #MAX_SLOWDOWN} × now and the
 * slowest period within 80% of the timeout, saving at least 10%. A function that used 90% of its memory or more
 * gets an UP recommendation. Sizes are multiples of 64 MB from 128 to 10,240 MB.
 */
public final class LambdaRightsizer {

    static final int MIN_MB = 128;
    static final int MAX_MB = 10_240;
    static final int STEP_MB = 64;
    static final double ONE_VCPU_MB = 1769;
    static final double ASSUMED_CPU_BOUND = 0.5;
    static final double MAX_SLOWDOWN = 1.25;
    static final double TIMEOUT_SHARE = 0.8;
    static final double MEMORY_MARGIN = 1.2;
    static final double NEAR_OUT_OF_MEMORY = 0.9;
    static final double MIN_SAVING = 0.10;

    /**
     * One period of CloudWatch/Logs figures.
     *
     * @param memoryMb          the memory size in force during the period
     * @param averageDurationMs the mean billed duration of the period's invocations
     * @param maxMemoryUsedMb   the largest "Max Memory Used" of the period's invocations
     */
    /** @param maxDurationMs the slowest invocation in the period (at least the average) */
    public record Sample(long epochSecond, int memoryMb, long invocations, double averageDurationMs,
                         double maxDurationMs, double maxMemoryUsedMb) {
        public Sample {
            if (memoryMb <= 0 || invocations < 0 || !(averageDurationMs >= 0) || !(maxMemoryUsedMb >= 0)
                    || !(maxDurationMs >= 0)) {
                throw new IllegalArgumentException("a Lambda sample needs memory > 0 and non-negative figures");
            }
            maxDurationMs = Math.max(maxDurationMs, averageDurationMs);
        }

        /** Without the slowest invocation measured: the average stands for it. */
        public Sample(long epochSecond, int memoryMb, long invocations, double averageDurationMs, double maxMemoryUsedMb) {
            this(epochSecond, memoryMb, invocations, averageDurationMs, averageDurationMs, maxMemoryUsedMb);
        }
    }

    private final PricingCatalog catalog;
    private final Clock clock;

    public LambdaRightsizer(PricingCatalog catalog, Clock clock) {
        this.catalog = Objects.requireNonNull(catalog);
        this.clock = Objects.requireNonNull(clock);
    }

    /** The function's memory size, by setting name, as a recommendation writes it. */
    public static Map<String, String> settings(LambdaFunction function) {
        return Map.of(SettingChange.FUNCTION_MEMORY_MB, String.valueOf(function.memoryMb()));
    }

    /**
     * Why the history is too little to judge the function by (fewer than two periods with invocations, less than a
     * day), or empty when it is enough: only then does an empty {@link #recommend} mean that nothing should change.
     */
    public Optional<String> whyCannotJudge(List<Sample> history) {
        if (history.stream().filter(s -> s.invocations() > 0).count() < 2) {
            return Optional.of("fewer than two periods with invocations");
        }
        if (history.getLast().epochSecond() - history.getFirst().epochSecond() < DAY) {
            return Optional.of("less than a day of figures");
        }
        return Optional.empty();
    }

    public Optional<Recommendation> recommend(LambdaFunction function, List<Sample> history) {
        if (whyCannotJudge(history).isPresent()) {
            return Optional.empty();
        }
        List<Sample> used = history.stream().filter(s -> s.invocations() > 0).toList();
        long first = history.getFirst().epochSecond();
        long last = history.getLast().epochSecond();
        long span = last - first;
        int m0 = function.memoryMb();
        long invocations = used.stream().mapToLong(Sample::invocations).sum();
        double perMonth = invocations * PricingCatalog.HOURS_PER_MONTH * 3600 / span;
        List<Sample> atCurrent = used.stream().filter(s -> s.memoryMb() == m0).toList();
        List<Sample> base = atCurrent.isEmpty() ? used : atCurrent;
        double d0 = base.stream().mapToDouble(s -> s.averageDurationMs() * s.invocations()).sum()
                / base.stream().mapToLong(Sample::invocations).sum();
        // the slowest invocation, not the slowest period's average: a cut is held to the timeout by its tail
        double slowest = base.stream().mapToDouble(Sample::maxDurationMs).max().orElse(d0);
        double peakUsed = used.stream().mapToDouble(Sample::maxMemoryUsedMb).max().orElse(0);
        Optional<Double> fitted = fitCpuBound(used, m0);
        double f = fitted.orElse(ASSUMED_CPU_BOUND);

        Map<String, Double> stats = Findings.statistics();
        Findings.summarize("durationMs", used.stream().mapToDouble(Sample::averageDurationMs).toArray(), stats);
        Findings.summarize("memoryUsedMb", used.stream().mapToDouble(Sample::maxMemoryUsedMb).toArray(), stats);
        stats.put("invocationsPerMonth", perMonth);
        stats.put("cpuBoundShare", f);

        int need = roundUp(Math.max(peakUsed * MEMORY_MARGIN, peakUsed + 64));
        double costNow = monthly(function, m0, d0, perMonth);
        int choice = m0;
        double costChoice = costNow;
        List<String> notes = new ArrayList<>();
        if (peakUsed >= NEAR_OUT_OF_MEMORY * m0) {
            choice = Math.max(need, roundUp(m0 + 1));
            if (choice <= m0) {
                return Optional.empty();  // already at Lambda's largest size
            }
            costChoice = monthly(function, choice, duration(d0, f, m0, choice), perMonth);
            notes.add(String.format(Locale.ROOT, "used %.0f of %d MB: too close to running out of memory", peakUsed, m0));
        } else {
            for (int m = need; m < m0; m += STEP_MB) {
                double d = duration(d0, f, m0, m);
                if (d > MAX_SLOWDOWN * d0 || slowest * d / d0 > TIMEOUT_SHARE * function.timeoutSeconds() * 1000) {
                    continue;
                }
                double cost = monthly(function, m, d, perMonth);
                if (cost < costChoice) {
                    choice = m;
                    costChoice = cost;
                }
            }
            if (choice == m0 || costChoice > (1 - MIN_SAVING) * costNow) {
                return Optional.empty();
            }
        }
        double slowdown = duration(d0, f, m0, choice) / d0;
        notes.add(String.format(Locale.ROOT, "modelled duration at %d MB: %.0f ms (now %.0f ms at %d MB), CPU-bound share %.2f%s",
                choice, d0 * slowdown, d0, m0, f, fitted.isPresent() ? " fitted from the history's memory sizes" : " assumed"));

        Findings.Risk risk = new Findings.Risk();
        Findings.shortHistory(risk, span);
        if (fitted.isEmpty()) {
            risk.add(0.15, "how CPU-bound the function is was assumed (" + ASSUMED_CPU_BOUND + "): the history ran at one memory size");
        }
        if (slowdown > 1) {
            risk.add(Math.min(0.5, slowdown - 1), String.format(Locale.ROOT, "modelled %.0f%% slower", 100 * (slowdown - 1)));
        }
        if (choice < m0) {
            risk.add(0.3 * (1 - (double) choice / m0), String.format(Locale.ROOT, "cuts memory by %.0f%%", 100 * (1 - (double) choice / m0)));
            if (peakUsed > 0.7 * choice) {
                risk.add(0.15, "peak memory used is above 70% of the new size");
            }
        }
        long[] times = used.stream().mapToLong(Sample::epochSecond).toArray();
        Evidence evidence = new Evidence(Instant.ofEpochSecond(first), Instant.ofEpochSecond(last), history.size(), stats, notes);
        return Optional.of(new Recommendation(function.ref(),
                costChoice > costNow ? Recommendation.Direction.UP : Recommendation.Direction.DOWN,
                List.of(new SettingChange(SettingChange.FUNCTION_MEMORY_MB, String.valueOf(m0), String.valueOf(choice))),
                evidence, costNow, costChoice, catalog.currency(), risk.score(), risk.reasons(),
                Findings.confidence(times), clock.instant()));
    }

    /** The modelled mean duration at {@code m} MB given {@code d0} at {@code m0}. */
    static double duration(double d0, double cpuBound, int m0, int m) {
        return d0 * ((1 - cpuBound) + cpuBound * cpu(m0) / cpu(m));
    }

    private static double cpu(int mb) {
        return Math.min(mb, ONE_VCPU_MB);
    }

    /**
     * Fits {@code d = a + b / cpu(m)} over periods at different sizes (weighted by invocations) and returns the
     * CPU-bound share {@code (b / cpu(m0)) / d(m0)} in [0, 1]; empty with fewer than two distinct CPU shares.
     */
    static Optional<Double> fitCpuBound(List<Sample> samples, int m0) {
        double w = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        double firstX = Double.NaN;
        boolean distinct = false;
        for (Sample s : samples) {
            double x = 1 / cpu(s.memoryMb());
            if (Double.isNaN(firstX)) {
                firstX = x;
            } else if (Math.abs(x - firstX) > 1e-12) {
                distinct = true;
            }
            double weight = s.invocations();
            w += weight;
            sx += weight * x;
            sy += weight * s.averageDurationMs();
            sxx += weight * x * x;
            sxy += weight * x * s.averageDurationMs();
        }
        if (!distinct) {
            return Optional.empty();
        }
        double b = (w * sxy - sx * sy) / (w * sxx - sx * sx);
        double a = (sy - b * sx) / w;
        double cpuPart = b / cpu(m0);
        double total = a + cpuPart;
        if (!(total > 0)) {
            return Optional.empty();
        }
        return Optional.of(Math.max(0, Math.min(1, cpuPart / total)));
    }

    private double monthly(LambdaFunction function, int mb, double durationMs, double invocationsPerMonth) {
        String architecture = PricingCatalog.ARM64.equals(function.architecture()) ? PricingCatalog.ARM64 : PricingCatalog.X86_64;
        return invocationsPerMonth * (mb / 1024.0 * durationMs / 1000 * catalog.lambdaGbSecond(architecture) + catalog.lambdaRequest());
    }

    /** Up to the next multiple of 64 MB, within Lambda's 128 to 10,240 MB. */
    static int roundUp(double mb) {
        int rounded = (int) Math.ceil(mb / STEP_MB - 1e-9) * STEP_MB;
        return Math.max(MIN_MB, Math.min(MAX_MB, rounded));
    }
}
