package io.onloop.domain.rightsizing;

import java.util.Arrays;

/**
 * onloop's recommender, after Google Autopilot's ML recommender (Rzadca et al., "Autopilot: workload
 * autoscaling at Google", EuroSys 2020, section 3.2): several simple models, each a percentile of a
 * decaying usage histogram times a margin, run side by side; every model is charged, on the samples it
 * would have governed, for overrun (usage above its limit), underrun (its slack) and for each change it
 * would have made, with the charges decaying over time; the model with the lowest cost gives the
 * recommendation. CPU and memory choose their model separately, each with its own models, weights and
 * cost decay (as in the paper: CPU reacts faster, memory remembers longer and is peak-based).
 * <p>
 * CPU is cheap to get wrong (throttling is undone at the next change), so its costs are forgotten within a
 * day, changes are cheap, it moves after six hours of history, and it may go down to 5 millicores (below
 * VPA's 25 millicore pod minimum; its histograms count in millicores so that a nearly idle workload is not
 * rounded up to VPA's 10 millicore first bucket).
 * <p>
 * Memory is conservative because an OOM kill costs far more than throttling: a memory overrun is
 * charged far more than a CPU one, memory never goes below the last day's peak nor 32 MiB, an OOM raises a
 * floor (VPA's bump) for six hours, and it does not change before a day of history.
 * The parameters are the same for every workload.
 */
public final class OnloopRecommender implements Recommender {

    static final long HOUR = 3600;
    static final long DAY = 24 * HOUR;
    static final double MIB = 1024.0 * 1024;

    /**
     * One resource's models and what they are charged, the same for every workload.
     *
     * @param halfLivesSeconds    the models' histogram half-lives: from reacting within hours to remembering weeks
     * @param percentiles         the models' percentiles of usage
     * @param margins             the models' margins over their percentile (the margin is chosen by cost too)
     * @param overrunWeight       the cost of one sample above the limit (throttled, or out of memory), in units of
     *                            one sample with 100% slack
     * @param changeWeight        the cost of one change of the limit, in the same units
     * @param costHalfLifeSeconds how fast old costs are forgotten when choosing a model
     * @param minimum             never recommend less (cores, bytes)
     * @param warmUpSeconds       the resource does not change before this much history (an OOM is always answered)
     */
    public record ResourceSettings(long[] halfLivesSeconds, double[] percentiles, double[] margins,
                                   double overrunWeight, double changeWeight, long costHalfLifeSeconds, double minimum,
                                   long warmUpSeconds) {
    }

    /**
     * The parameters, the same for every workload. {@link #DEFAULTS} are what onloop ships; they were
     * chosen by looking at aggregate results of the Bitbrains trace replay (onloop-bench
     * RightsizingTraceBench) on VMs 1-50, never per VM, and checked on VMs 51-100.
     *
     * @param cpu                     the CPU models
     * @param memory                  the memory models
     * @param memoryPeakFloorSeconds  memory never goes below the peak of this last stretch of time...
     * @param memoryPeakFloorMargin   ...times this
     * @param oomFloorSeconds         after an OOM, memory stays at least at VPA's bump for this long
     */
    public record Settings(ResourceSettings cpu, ResourceSettings memory,
                           long memoryPeakFloorSeconds, double memoryPeakFloorMargin, long oomFloorSeconds) {
    }

    public static final Settings DEFAULTS = new Settings(
            // CPU: throttling is cheap to undo, so models from half an hour to two weeks, percentiles from p80,
            // the margin chosen by cost too, changes cheap, costs forgotten within a day, a 6-hour warm-up,
            // and down to 5 millicores
            new ResourceSettings(new long[]{HOUR / 2, HOUR, 4 * HOUR, 12 * HOUR, 2 * DAY, 7 * DAY, 14 * DAY},
                    new double[]{0.80, 0.90, 0.95, 0.98, 0.99}, new double[]{0.0, 0.10, 0.20, 0.30},
                    12, 3, DAY, 0.005, 6 * HOUR),
            // memory: an OOM kill is far worse, so higher percentiles up to the peak, costs remembered for a
            // week and a day of warm-up. An overrun weighs 100 and a change 30: dear changes keep the models
            // that hold steady, which on the trace cut OOMs more than dearer overruns did. Chosen as the lowest
            // memory slack on VMs 1-50 whose OOM samples are no more than KRR's there (RightsizingSweep: 83.3% at
            // 0.035%, against 85.0% at 0.035% with the earlier 300/10 and a week-long OOM floor).
            // A 32 MiB minimum instead of VPA's 250 MB (KRR has none): small sidecars are common.
            new ResourceSettings(new long[]{2 * HOUR, 12 * HOUR, 2 * DAY, 7 * DAY},
                    new double[]{0.95, 0.98, 0.999, 1.0}, new double[]{0.0, 0.10, 0.20},
                    100, 30, 7 * DAY, 32 * MIB, DAY),
            // memory stays above the last day's peak; after an OOM, at VPA's bump for six hours
            DAY, 1.0, 6 * HOUR);

    /** A new value closer than this to the one in force is not a change (the VPA updater's 10% threshold). */
    static final double CHANGE_THRESHOLD = 0.10;

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

        private final ResourceSettings settings;
        private final DecayingHistogram[] histograms;
        private final double[] percentiles;
        private final double[] margins;
        private final double overrunWeight;
        private final double[] limit;   // the value each model holds now
        private final double[] cost;
        private long lastCostUpdate = Long.MIN_VALUE;

        Ensemble(ResourceSettings settings, boolean cpu, double initial) {
            this.settings = settings;
            long[] halfLives = settings.halfLivesSeconds();
            this.histograms = new DecayingHistogram[halfLives.length];
            for (int h = 0; h < histograms.length; h++) {
                histograms[h] = cpu ? DecayingHistogram.cpuMillicores(halfLives[h]) : DecayingHistogram.memoryBytes(halfLives[h]);
            }
            this.percentiles = settings.percentiles();
            this.margins = settings.margins();
            this.overrunWeight = settings.overrunWeight();
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
        private final double cpuMinimum;
        private final double memoryMinimum;
        private final long cpuWarmUp;
        private final long memoryWarmUp;
        private final long oomFloorSeconds;

        State(Allocation current, Settings settings) {
            this.current = current;
            this.cpu = new Ensemble(settings.cpu(), true, current.cpuCores());
            this.memory = new Ensemble(settings.memory(), false, current.memoryBytes());
            this.hourlyMemoryPeak = new double[(int) Math.max(1, settings.memoryPeakFloorSeconds() / HOUR)];
            this.peakFloorMargin = settings.memoryPeakFloorMargin();
            this.cpuMinimum = settings.cpu().minimum();
            this.memoryMinimum = settings.memory().minimum();
            this.cpuWarmUp = settings.cpu().warmUpSeconds();
            this.memoryWarmUp = settings.memory().warmUpSeconds();
            this.oomFloorSeconds = settings.oomFloorSeconds();
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
                // VPA's bump (container.go RecordOOM), kept as a floor for a while
                double used = Math.max(inForce.memoryBytes(), sample.memoryBytes());
                oomFloor = Math.max(used + VpaRecommender.OOM_MIN_BUMP_UP_BYTES, used * VpaRecommender.OOM_BUMP_UP_RATIO);
                oomFloorUntil = t + oomFloorSeconds;
            }
            // the models move hourly in sample time, so that their costs do not depend on how often we are asked
            if (lastRefresh == Long.MIN_VALUE || t - lastRefresh >= HOUR) {
                lastRefresh = t;
                cpu.refresh(cpuMinimum);
                memory.refresh(memoryFloor());
            }
        }

        private double memoryFloor() {
            double floor = memoryMinimum;
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
            long history = lastSample - firstSample;
            double cpuCores = history < cpuWarmUp ? current.cpuCores() : Math.max(cpu.best(), cpuMinimum);
            double memoryBytes;
            if (history < memoryWarmUp) {
                // too little history to cut; but never leave an OOM unanswered
                memoryBytes = Math.max(current.memoryBytes(), lastSample < oomFloorUntil ? oomFloor : 0);
            } else {
                memoryBytes = Math.max(memory.best(), memoryFloor());
            }
            return new Allocation(cpuCores, memoryBytes);
        }
    }
}
