package io.onloop.domain.rightsizing;

import java.util.Arrays;

/**
 * onloop's recommender, after Google Autopilot's ML recommender (Rzadca et al., "Autopilot: workload
 * autoscaling at Google", EuroSys 2020, section 3.2): several simple models, each a percentile of a
 * decaying usage histogram times a margin, run side by side; every model is charged, on the samples it
 * would have governed, for overrun (usage above its limit), underrun (its slack) and for each change it
 * would have made, with the charges decaying over time; the model with the lowest cost gives the
 * recommendation. CPU and memory choose their model separately.
 * <p>
 * Memory is conservative because an OOM kill costs far more than throttling: a memory overrun is
 * charged far more than a CPU one, memory never goes below the recent peak plus a margin, and an OOM
 * raises a floor for a week, with VPA's bump. Nothing changes before a day of history.
 * The parameters are the same for every workload.
 */
public final class OnloopRecommender implements Recommender {

    static final long HOUR = 3600;
    static final long DAY = 24 * HOUR;

    /**
     * The parameters, the same for every workload. {@link #DEFAULTS} are what onloop ships; they were
     * chosen by looking at aggregate results of the Bitbrains trace replay (onloop-bench
     * RightsizingTraceBench) on half of its VMs, never per VM.
     *
     * @param halfLivesSeconds        the models' histogram half-lives: from reacting within hours to remembering a week
     * @param cpuPercentiles          the CPU models' percentiles of usage
     * @param memoryPercentiles       the memory models' percentiles of usage
     * @param margins                 the models' margins over their percentile
     * @param cpuOverrunWeight        the cost of one throttled sample, in units of one sample with 100% slack
     * @param memoryOverrunWeight     the cost of one sample out of memory, in the same units (an OOM kill is far worse)
     * @param changeWeight            the cost of one change of the allocation, in the same units
     * @param costHalfLifeSeconds     how fast old costs are forgotten when choosing a model
     * @param memoryPeakFloorSeconds  memory never goes below the peak of this last stretch of time...
     * @param memoryPeakFloorMargin   ...times this
     */
    public record Settings(long[] halfLivesSeconds, double[] cpuPercentiles, double[] memoryPercentiles, double[] margins,
                           double cpuOverrunWeight, double memoryOverrunWeight, double changeWeight,
                           long costHalfLifeSeconds, long memoryPeakFloorSeconds, double memoryPeakFloorMargin) {
    }

    public static final Settings DEFAULTS = new Settings(
            new long[]{2 * HOUR, 12 * HOUR, 2 * DAY, 7 * DAY},
            new double[]{0.90, 0.95, 0.98},
            new double[]{0.98, 0.999},
            new double[]{0.0, 0.10, 0.20},
            8, 300, 30,
            3 * DAY, DAY, 1.05);

    /** A new value closer than this to the one in force is not a change (the VPA updater's 10% threshold). */
    static final double CHANGE_THRESHOLD = 0.10;
    /** No change before a day of history: one day tells little about a weekly cycle, and nothing about a spike. */
    static final long WARM_UP_SECONDS = DAY;
    /** After an OOM, memory stays at least at VPA's bump for this long. */
    static final long OOM_FLOOR_SECONDS = 7 * DAY;
    /** The same minimums and OOM bump as VPA (recommender.go, container.go). */
    static final double MIN_CPU_CORES = VpaRecommender.MIN_CPU_CORES;
    static final double MIN_MEMORY_BYTES = VpaRecommender.MIN_MEMORY_BYTES;

    private final Settings settings;

    public OnloopRecommender() {
        this(DEFAULTS);
    }

    public OnloopRecommender(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "onloop";
    }

    @Override
    public Workload follow(Allocation current) {
        return new State(current, settings);
    }

    /** The models for one resource, and what each would have cost. */
    static final class Ensemble {

        private final Settings settings;
        private final DecayingHistogram[] histograms;
        private final double[] percentiles;
        private final double[] margins;
        private final double overrunWeight;
        private final double[] limit;   // the value each model holds now
        private final double[] cost;
        private long lastCostUpdate = Long.MIN_VALUE;

        Ensemble(Settings settings, boolean cpu, double initial) {
            this.settings = settings;
            long[] halfLives = settings.halfLivesSeconds();
            this.histograms = new DecayingHistogram[halfLives.length];
            for (int h = 0; h < histograms.length; h++) {
                histograms[h] = cpu ? DecayingHistogram.cpuCores(halfLives[h]) : DecayingHistogram.memoryBytes(halfLives[h]);
            }
            this.percentiles = cpu ? settings.cpuPercentiles() : settings.memoryPercentiles();
            this.margins = settings.margins();
            this.overrunWeight = cpu ? settings.cpuOverrunWeight() : settings.memoryOverrunWeight();
            int models = histograms.length * percentiles.length * margins.length;
            this.limit = new double[models];
            this.cost = new double[models];
            Arrays.fill(limit, initial);
        }

        /** Charges every model for this sample under the limit it holds, then learns the sample. */
        void observe(double usage, long t) {
            if (lastCostUpdate != Long.MIN_VALUE) {
                double decay = Math.pow(2.0, -(double) (t - lastCostUpdate) / settings.costHalfLifeSeconds());
                for (int m = 0; m < cost.length; m++) {
                    cost[m] *= decay;
                }
            }
            lastCostUpdate = t;
            for (int m = 0; m < cost.length; m++) {
                cost[m] += usage > limit[m] ? overrunWeight : (limit[m] - usage) / limit[m];
            }
            for (DecayingHistogram histogram : histograms) {
                histogram.add(usage, 1.0, t);
            }
        }

        /** Moves every model to its new value for the next hour; a move is charged as a change. */
        void refresh(double floor) {
            int m = 0;
            for (DecayingHistogram histogram : histograms) {
                for (double p : percentiles) {
                    double base = histogram.percentile(p);
                    for (double margin : margins) {
                        double proposed = Math.max(base * (1 + margin), floor);
                        if (Math.abs(proposed - limit[m]) > CHANGE_THRESHOLD * limit[m]) {
                            limit[m] = proposed;
                            cost[m] += settings.changeWeight();
                        }
                        m++;
                    }
                }
            }
        }

        /** The value of the model that has cost least. */
        double best() {
            int best = 0;
            for (int m = 1; m < cost.length; m++) {
                if (cost[m] < cost[best]) {
                    best = m;
                }
            }
            return limit[best];
        }
    }

    static final class State implements Workload {

        private Allocation current;
        private final Ensemble cpu;
        private final Ensemble memory;
        private long firstSample = Long.MIN_VALUE;
        private long lastSample;
        private long lastRefresh = Long.MIN_VALUE;
        private final double[] hourlyMemoryPeak;  // ring of the last hours' peaks
        private long currentHour = Long.MIN_VALUE;
        private double oomFloor;
        private long oomFloorUntil = Long.MIN_VALUE;
        private final double peakFloorMargin;

        State(Allocation current, Settings settings) {
            this.current = current;
            this.cpu = new Ensemble(settings, true, current.cpuCores());
            this.memory = new Ensemble(settings, false, current.memoryBytes());
            this.hourlyMemoryPeak = new double[(int) Math.max(1, settings.memoryPeakFloorSeconds() / HOUR)];
            this.peakFloorMargin = settings.memoryPeakFloorMargin();
        }

        @Override
        public void observe(UsageSample sample, Allocation inForce) {
            current = inForce;
            long t = sample.epochSecond();
            if (firstSample == Long.MIN_VALUE) {
                firstSample = t;
            }
            lastSample = t;
            cpu.observe(sample.cpuCores(), t);
            memory.observe(sample.memoryBytes(), t);
            trackHourlyPeak(sample.memoryBytes(), t);
            if (sample.memoryBytes() >= inForce.memoryBytes()) {
                // VPA's bump (container.go RecordOOM), kept as a floor for a week
                double used = Math.max(inForce.memoryBytes(), sample.memoryBytes());
                oomFloor = Math.max(used + VpaRecommender.OOM_MIN_BUMP_UP_BYTES, used * VpaRecommender.OOM_BUMP_UP_RATIO);
                oomFloorUntil = t + OOM_FLOOR_SECONDS;
            }
            // the models move hourly in sample time, so that their costs do not depend on how often we are asked
            if (lastRefresh == Long.MIN_VALUE || t - lastRefresh >= HOUR) {
                lastRefresh = t;
                cpu.refresh(MIN_CPU_CORES);
                memory.refresh(memoryFloor());
            }
        }

        private double memoryFloor() {
            double floor = MIN_MEMORY_BYTES;
            for (double peak : hourlyMemoryPeak) {
                floor = Math.max(floor, peak * peakFloorMargin);
            }
            if (lastSample < oomFloorUntil) {
                floor = Math.max(floor, oomFloor);
            }
            return floor;
        }

        private void trackHourlyPeak(double usage, long t) {
            long hour = Math.floorDiv(t, HOUR);
            int hours = hourlyMemoryPeak.length;
            if (currentHour != Long.MIN_VALUE && hour != currentHour) {
                for (long h = currentHour + 1; h <= Math.min(hour, currentHour + hours); h++) {
                    hourlyMemoryPeak[(int) Math.floorMod(h, (long) hours)] = 0;
                }
            }
            currentHour = hour;
            int at = (int) Math.floorMod(hour, (long) hours);
            hourlyMemoryPeak[at] = Math.max(hourlyMemoryPeak[at], usage);
        }

        @Override
        public Allocation recommend() {
            if (firstSample == Long.MIN_VALUE) {
                return current;
            }
            boolean oomFloorActive = lastSample < oomFloorUntil;
            if (lastSample - firstSample < WARM_UP_SECONDS) {
                // too little history to cut; but never leave an OOM unanswered
                return new Allocation(current.cpuCores(), Math.max(current.memoryBytes(), oomFloorActive ? oomFloor : 0));
            }
            return new Allocation(Math.max(cpu.best(), MIN_CPU_CORES), Math.max(memory.best(), memoryFloor()));
        }
    }
}
