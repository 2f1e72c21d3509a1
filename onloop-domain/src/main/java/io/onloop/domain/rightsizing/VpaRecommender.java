package io.onloop.domain.rightsizing;

/**
 * A faithful reference implementation of the Kubernetes Vertical Pod Autoscaler recommender with its
 * default flags, for one single-container pod. Sources (kubernetes/autoscaler, vertical-pod-autoscaler/pkg/recommender):
 * <ul>
 * <li>logic/recommender.go: target = p90, lower bound = p50, upper bound = p95 of CPU usage and of
 *     memory peaks; +15% safety margin on all three; upper bound × (1 + 1/confidence)^1, lower bound ×
 *     (1 + 0.001/confidence)^-2; then the pod minimums 25 millicores and 250 MB.</li>
 * <li>logic/estimator.go: confidence = min(history span in days, samples / (60 × 24)).</li>
 * <li>model/aggregations_config.go: 24 h half-life for CPU and memory; memory peaks aggregated per
 *     24 h interval; exponential buckets (see {@link DecayingHistogram}).</li>
 * <li>model/aggregate_container_state.go: a CPU sample weighs max(request in cores, 0.1); a memory peak 1.</li>
 * <li>model/container.go: one memory peak per interval (a higher sample replaces the interval's peak);
 *     an OOM adds a peak of max(used + 100 MiB, used × 1.2), used = max(request, interval peak).</li>
 * </ul>
 * Not modelled: checkpoints, garbage collection of idle aggregates, the updater's eviction rules
 * (whoever applies the target decides when).
 */
public final class VpaRecommender implements Recommender {

    static final long HOUR = 3600;
    static final long DAY = 24 * HOUR;
    /** aggregations_config.go DefaultCPUHistogramDecayHalfLife and DefaultMemoryHistogramDecayHalfLife. */
    static final long HALF_LIFE_SECONDS = DAY;
    /** aggregations_config.go DefaultMemoryAggregationInterval. */
    static final long MEMORY_AGGREGATION_INTERVAL_SECONDS = DAY;
    /** recommender.go CreatePodResourceRecommender. */
    static final double TARGET_PERCENTILE = 0.9;
    static final double LOWER_BOUND_PERCENTILE = 0.5;
    static final double UPPER_BOUND_PERCENTILE = 0.95;
    /** recommender.go --recommendation-margin-fraction. */
    static final double SAFETY_MARGIN_FRACTION = 0.15;
    /** recommender.go --pod-recommendation-min-cpu-millicores and --pod-recommendation-min-memory-mb (MB = 2^20 bytes there). */
    public static final double MIN_CPU_CORES = 25 * 0.001;
    public static final double MIN_MEMORY_BYTES = 250.0 * 1024 * 1024;
    /** recommender.go: WithConfidenceMultiplier(1.0, 1.0) on the upper bound, (0.001, -2.0) on the lower bound. */
    static final double UPPER_CONFIDENCE_MULTIPLIER = 1.0;
    static final double UPPER_CONFIDENCE_EXPONENT = 1.0;
    static final double LOWER_CONFIDENCE_MULTIPLIER = 0.001;
    static final double LOWER_CONFIDENCE_EXPONENT = -2.0;
    /** aggregate_container_state.go / aggregations_config.go minSampleWeight. */
    static final double MIN_SAMPLE_WEIGHT = 0.1;
    /** container.go OOMBumpUpRatio and OOMMinBumpUp (100 MiB). */
    static final double OOM_BUMP_UP_RATIO = 1.2;
    static final double OOM_MIN_BUMP_UP_BYTES = 100.0 * 1024 * 1024;

    @Override
    public String name() {
        return "VPA";
    }

    @Override
    public State follow(Allocation current) {
        return new State(current);
    }

    /** VPA's aggregate state for one container, plus its bounds. */
    public static final class State implements Workload {

        private final DecayingHistogram cpuUsage = DecayingHistogram.cpuCores(HALF_LIFE_SECONDS);
        private final DecayingHistogram memoryPeaks = DecayingHistogram.memoryBytes(HALF_LIFE_SECONDS);
        private Allocation current;
        private long firstSampleStart = Long.MIN_VALUE;
        private long lastSampleStart = Long.MIN_VALUE;
        private long totalSamples;
        // container.go: the current memory aggregation interval ends at windowEnd (exclusive)
        private long windowEnd = Long.MIN_VALUE;
        private double memoryPeak;
        private double oomPeak;

        State(Allocation current) {
            this.current = current;
        }

        @Override
        public void observe(UsageSample sample, Allocation inForce) {
            current = inForce;
            long t = sample.epochSecond();
            cpuUsage.add(sample.cpuCores(), Math.max(inForce.cpuCores(), MIN_SAMPLE_WEIGHT), t);
            if (firstSampleStart == Long.MIN_VALUE) {
                firstSampleStart = t;
            }
            lastSampleStart = t;
            totalSamples++;
            addMemorySample(sample.memoryBytes(), t, false);
            if (sample.memoryBytes() >= inForce.memoryBytes()) {
                recordOom(t, inForce.memoryBytes());
            }
        }

        private void addMemorySample(double usage, long t, boolean isOom) {
            if (windowEnd == Long.MIN_VALUE) {
                windowEnd = t;
            }
            boolean addNewPeak = false;
            if (t < windowEnd) {
                double oldMax = Math.max(memoryPeak, oomPeak);
                if (oldMax != 0 && usage > oldMax) {
                    memoryPeaks.subtract(oldMax, 1.0, windowEnd);
                    addNewPeak = true;
                }
            } else {
                long elapsed = t - windowEnd;
                windowEnd += elapsed - elapsed % MEMORY_AGGREGATION_INTERVAL_SECONDS + MEMORY_AGGREGATION_INTERVAL_SECONDS;
                memoryPeak = 0;
                oomPeak = 0;
                addNewPeak = true;
            }
            if (addNewPeak) {
                memoryPeaks.add(usage, 1.0, windowEnd);
                if (isOom) {
                    oomPeak = usage;
                } else {
                    memoryPeak = usage;
                }
            }
        }

        private void recordOom(long t, double requestedMemory) {
            // container.go RecordOOM: the interval's usage peak, not an earlier OOM peak, so repeated OOMs do not compound
            double used = Math.max(requestedMemory, memoryPeak);
            addMemorySample(Math.max(used + OOM_MIN_BUMP_UP_BYTES, used * OOM_BUMP_UP_RATIO), t, true);
        }

        @Override
        public Allocation recommend() {
            return totalSamples == 0 ? current : target();
        }

        public Allocation target() {
            return estimate(TARGET_PERCENTILE, 1.0);
        }

        public Allocation lowerBound() {
            return estimate(LOWER_BOUND_PERCENTILE,
                    Math.pow(1 + LOWER_CONFIDENCE_MULTIPLIER / confidence(), LOWER_CONFIDENCE_EXPONENT));
        }

        public Allocation upperBound() {
            double multiplier = Math.pow(1 + UPPER_CONFIDENCE_MULTIPLIER / confidence(), UPPER_CONFIDENCE_EXPONENT);
            // with no span of history the upper bound is infinite in VPA; an Allocation must be finite
            return estimate(UPPER_BOUND_PERCENTILE, Math.min(multiplier, 1e6));
        }

        /** estimator.go getConfidence: the history in days, counted as if one sample came per minute. */
        public double confidence() {
            if (totalSamples == 0) {
                return 0;
            }
            double lifespanDays = (double) (lastSampleStart - firstSampleStart) / DAY;
            double samplesAmount = (double) totalSamples / (60 * 24);
            return Math.min(lifespanDays, samplesAmount);
        }

        private Allocation estimate(double percentile, double confidenceFactor) {
            double cpu = cpuUsage.percentile(percentile) * (1 + SAFETY_MARGIN_FRACTION) * confidenceFactor;
            double memory = memoryPeaks.percentile(percentile) * (1 + SAFETY_MARGIN_FRACTION) * confidenceFactor;
            return new Allocation(Math.max(cpu, MIN_CPU_CORES), Math.max(memory, MIN_MEMORY_BYTES));
        }
    }
}
