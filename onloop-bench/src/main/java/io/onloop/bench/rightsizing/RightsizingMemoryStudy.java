package io.onloop.bench.rightsizing;

import io.onloop.bench.rightsizing.RightsizingTraceBench.Score;
import io.onloop.bench.rightsizing.RightsizingTraceBench.Trace;
import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.KrrSimpleRecommender;
import io.onloop.domain.rightsizing.OnloopRecommender;
import io.onloop.domain.rightsizing.Recommender;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.VpaRecommender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Where the memory slack and the OOM samples of each strategy come from on the Bitbrains trace, and
 * memory rules tried on top of onloop's (issue 6). Diagnosis only: nothing here is what onloop ships.
 * <p>
 * Usage: {@code RightsizingMemoryStudy dataFolder FIRST-LAST [variantsFile]}. Prints, for VPA, KRR and onloop:
 * the slack by kind of sample (no usage at all, the first day, and the allocation against the last day's peak),
 * the OOM samples by kind (the first day, above every earlier sample, above the last two weeks' peak, above the
 * last day's peak, below it), the replay under other recompute cadences and apply thresholds (applied to all
 * three alike), and how often a burst follows a quiet stretch. Then each line of the variants file: a name and
 * {@code key=value}s. Keys of {@link RightsizingSweep} set onloop's parameters; these add a memory floor on top
 * (kept only after the first day, like onloop's own): {@code recent=H} the peak of the last H hours;
 * {@code days=D} / {@code weeks=W} with {@code w=H} the peak around the coming hour on each of the last D days /
 * W weeks (a daily or weekly pattern); {@code cpulead=K} the peak of the last {@code hold} hours (default 336)
 * when this hour's mean CPU is above K times the median of the last day's hourly means (CPU as a sign that a
 * memory burst is coming); {@code hz=R} the same peak when more than R of the hours (decayed with half-life
 * {@code bhl} hours) started a burst (a peak above twice the previous day's); {@code oomhold=H} the same peak
 * for H hours after an OOM; {@code upround=1} a rise smaller than the apply threshold is made just large enough
 * to be applied, {@code downround=1} the same for a cut. {@code pure=1} drops onloop's models: memory is then
 * {@code scale} (default 1) times the floor, with onloop's 32 MiB minimum and six-hour OOM bump.
 */
public final class RightsizingMemoryStudy {

    static final long HOUR = 3600;
    static final long DAY = 24 * HOUR;


    public static void main(String[] args) throws Exception {
        Path folder = Paths.get(args[0]).toAbsolutePath().normalize();
        List<Trace> traces = RightsizingTraceBench.inRange(RightsizingTraceBench.load(folder), RightsizingTraceBench.parseVmRange(args[1]));
        System.out.printf(Locale.ROOT, "%d VMs (%s)%n", traces.size(), args[1]);
        List<Recommender> references = List.of(new VpaRecommender(), new KrrSimpleRecommender(), new OnloopRecommender());
        for (Recommender r : references) {
            slackAndOomKinds(r, traces);
        }
        for (long cadence : new long[]{HOUR, 300}) {
            for (double threshold : new double[]{0.10, 0.0}) {
                for (Recommender r : references) {
                    Score s = total(traces, t -> RightsizingTraceBench.replay(t, r, cadence, threshold, null));
                    System.out.printf(Locale.ROOT, "recompute every %4d s, apply above %2.0f%%: %-10s mem slack %5.1f%% oom %.3f%%%n",
                            cadence, threshold * 100, r.name(), 100 * s.memSlack / s.samples, 100.0 * s.memOverruns / s.samples);
                }
            }
        }
        burstAfterQuiet(traces);
        if (args.length > 2) {
            for (String line : Files.readAllLines(Paths.get(args[2]))) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\\s+");
                Recommender r = new Variant(Arrays.copyOfRange(parts, 1, parts.length));
                Score s = total(traces, t -> RightsizingTraceBench.replay(t, r));
                System.out.printf(Locale.ROOT, "mem slack %6.2f%% oom %.4f%% (%4d samples, %3d VMs) changes/VM %6.1f   %s%n",
                        100 * s.memSlack / s.samples, 100.0 * s.memOverruns / s.samples, s.memOverruns, s.vmsWithOom,
                        (double) s.changes / s.vms, line);
            }
        }
    }

    static Score total(List<Trace> traces, Function<Trace, Score> replay) {
        Score total = new Score();
        traces.parallelStream().map(replay).toList().forEach(total::add);
        return total;
    }


    /** The peak of the samples before sample i within {@code seconds} of it. */
    static double peakBefore(Trace t, int i, long seconds) {
        double peak = 0;
        for (int j = i - 1; j >= 0 && t.time()[j] > t.time()[i] - seconds; j--) {
            peak = Math.max(peak, t.memUsed()[j]);
        }
        return peak;
    }

    static void slackAndOomKinds(Recommender r, List<Trace> traces) {
        String[] slackKinds = {"no usage", "first day", "below day peak", "<1.1x day peak", "<1.5x", "<3x", ">=3x"};
        String[] oomKinds = {"first day", "above all before", "above 2 weeks' peak", "above day peak", "below day peak"};
        double[] slack = new double[slackKinds.length];
        long[] samplesOfKind = new long[slackKinds.length];
        long[] ooms = new long[oomKinds.length];
        long[] samples = new long[1];
        for (Trace trace : traces) {
            double[] allTimePeak = {0};
            RightsizingTraceBench.replay(trace, r, RightsizingTraceBench.RECOMPUTE_SECONDS, RightsizingTraceBench.APPLY_THRESHOLD, (t, i, mem) -> {
                double used = t.memUsed()[i];
                boolean firstDay = t.time()[i] - t.time()[0] < DAY;
                double dayPeak = peakBefore(t, i, DAY);
                int kind = used == 0 ? 0 : firstDay ? 1 : mem < dayPeak ? 2 : mem < 1.1 * dayPeak ? 3 : mem < 1.5 * dayPeak ? 4 : mem < 3 * dayPeak ? 5 : 6;
                slack[kind] += Math.max(0, (mem - used) / mem);
                samplesOfKind[kind]++;
                samples[0]++;
                if (used > mem) {
                    ooms[firstDay ? 0 : used > allTimePeak[0] ? 1 : used > peakBefore(t, i, 14 * DAY) ? 2 : used > dayPeak ? 3 : 4]++;
                }
                allTimePeak[0] = Math.max(allTimePeak[0], used);
            });
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s slack, in points of all samples (share of samples):", r.name()));
        for (int k = 0; k < slackKinds.length; k++) {
            line.append(String.format(Locale.ROOT, " %s %.2f (%.1f%%);", slackKinds[k], 100 * slack[k] / samples[0], 100.0 * samplesOfKind[k] / samples[0]));
        }
        line.append(String.format(Locale.ROOT, "%n%-10s OOM samples:", r.name()));
        for (int k = 0; k < oomKinds.length; k++) {
            line.append(String.format(Locale.ROOT, " %s %d;", oomKinds[k], ooms[k]));
        }
        System.out.println(line);
    }

    /**
     * In hours whose last day peaked below a third of the last two weeks' peak (quiet after a burst), by how long
     * usage has stayed below half that two-week peak: how often the next hour goes above 1.5 times the last day's
     * peak. This is what holding an old peak buys.
     */
    static void burstAfterQuiet(List<Trace> traces) {
        int[] edges = {48, 96, 144, 192, 264, 336};
        long[] hours = new long[edges.length];
        long[] bursts = new long[edges.length];
        for (Trace t : traces) {
            TreeMap<Long, Double> peaks = new TreeMap<>();
            for (int i = 0; i < t.size(); i++) {
                peaks.merge(Math.floorDiv(t.time()[i], HOUR), t.memUsed()[i], Math::max);
            }
            long[] h = peaks.keySet().stream().mapToLong(Long::longValue).toArray();
            double[] p = peaks.values().stream().mapToDouble(Double::doubleValue).toArray();
            for (int k = 336; k < h.length - 1; k++) {
                double twoWeeks = 0;
                double day = 0;
                for (int j = k; j >= 0 && h[j] > h[k] - 336; j--) {
                    twoWeeks = Math.max(twoWeeks, p[j]);
                    day = h[j] > h[k] - 24 ? Math.max(day, p[j]) : day;
                }
                if (twoWeeks <= 0 || day >= twoWeeks / 3) {
                    continue;
                }
                long lastHigh = h[k] - 336;
                for (int j = k; j >= 0 && h[j] > h[k] - 336; j--) {
                    if (p[j] > twoWeeks / 2) {
                        lastHigh = h[j];
                        break;
                    }
                }
                int b = 0;
                while (b < edges.length - 1 && h[k] - lastHigh >= edges[b]) {
                    b++;
                }
                hours[b]++;
                bursts[b] += p[k + 1] > 1.5 * day ? 1 : 0;
            }
        }
        StringBuilder line = new StringBuilder("quiet after a burst, hours since usage was above half the two weeks' peak: chance the next hour peaks above 1.5x the last day's peak:");
        int from = 24;
        for (int b = 0; b < edges.length; b++) {
            line.append(String.format(Locale.ROOT, " %d-%d h %.2f%% (%d hours);", from, edges[b], 100.0 * bursts[b] / Math.max(1, hours[b]), hours[b]));
            from = edges[b];
        }
        System.out.println(line);
    }

    /** onloop (or no models at all) with a further memory floor; see the class comment for the keys. */
    static final class Variant implements Recommender {

        private final Map<String, Double> keys = new HashMap<>();
        private final OnloopRecommender onloop;

        Variant(String[] overrides) {
            List<String> sweepKeys = new ArrayList<>();
            for (String kv : overrides) {
                String key = kv.substring(0, kv.indexOf('='));
                if (key.contains(".") || key.startsWith("peak") || key.equals("oomfloor")) {
                    sweepKeys.add(kv);
                } else {
                    keys.put(key, Double.parseDouble(kv.substring(kv.indexOf('=') + 1)));
                }
            }
            onloop = new OnloopRecommender(RightsizingSweep.settings(sweepKeys.toArray(String[]::new)));
        }

        double key(String name, double otherwise) {
            return keys.getOrDefault(name, otherwise);
        }

        @Override
        public String name() {
            return "variant";
        }

        @Override
        public Workload follow(Allocation current) {
            return new State(current, onloop.follow(current));
        }

        final class State implements Workload {

            static final int RING_HOURS = 24 * 7 * 5;
            private final Workload models;
            private final boolean pure = key("pure", 0) > 0;
            private final double[] hourPeak = new double[RING_HOURS];
            private final double[] hourCpu = new double[RING_HOURS];
            private final int[] hourSamples = new int[RING_HOURS];
            private Allocation inForce;
            private long hour = Long.MIN_VALUE;
            private long first = Long.MIN_VALUE;
            private long last;
            private double oomBump;
            private long oomBumpUntil = Long.MIN_VALUE;
            private long lastOom = Long.MIN_VALUE;
            private double burstHours;
            private double hoursSeen;

            State(Allocation current, Workload models) {
                this.inForce = current;
                this.models = models;
            }

            @Override
            public void observe(UsageSample sample, Allocation allocation) {
                inForce = allocation;
                models.observe(sample, allocation);
                long t = sample.epochSecond();
                first = first == Long.MIN_VALUE ? t : first;
                last = t;
                long h = Math.floorDiv(t, HOUR);
                if (hour != Long.MIN_VALUE && h != hour) {
                    double decay = Math.pow(2, -(double) (h - hour) / key("bhl", 168));
                    double previousDay = peak(-24, -1);
                    burstHours = burstHours * decay + (previousDay > 0 && hourPeak[slot(hour)] > 2 * previousDay ? 1 : 0);
                    hoursSeen = hoursSeen * decay + 1;
                    for (long x = hour + 1; x <= Math.min(h, hour + RING_HOURS); x++) {
                        hourPeak[slot(x)] = 0;
                        hourCpu[slot(x)] = 0;
                        hourSamples[slot(x)] = 0;
                    }
                }
                hour = h;
                hourPeak[slot(h)] = Math.max(hourPeak[slot(h)], sample.memoryBytes());
                hourCpu[slot(h)] += sample.cpuCores();
                hourSamples[slot(h)]++;
                if (sample.memoryBytes() >= allocation.memoryBytes()) {
                    double used = Math.max(allocation.memoryBytes(), sample.memoryBytes());
                    oomBump = Math.max(used + 100 * 1048576.0, used * 1.2);
                    oomBumpUntil = t + 6 * HOUR;
                    lastOom = t;
                }
            }

            private int slot(long h) {
                return (int) Math.floorMod(h, (long) RING_HOURS);
            }

            /** The peak of hours {@code from..to} relative to this hour (0 = this hour, -1 the one before). */
            private double peak(long from, long to) {
                double p = 0;
                for (long x = from; x <= Math.min(to, 0); x++) {
                    if (-x < RING_HOURS) {
                        p = Math.max(p, hourPeak[slot(hour + x)]);
                    }
                }
                return p;
            }

            private double floor() {
                double floor = 32 * 1048576.0;
                floor = Math.max(floor, peak(-(long) key("recent", pure ? 24 : 0) + 1, 0));
                long w = (long) key("w", 1);
                for (int d = 1; d <= key("days", 0); d++) {
                    floor = Math.max(floor, peak(-24L * d - w, -24L * d + 1 + w));
                }
                for (int d = 1; d <= key("weeks", 0); d++) {
                    floor = Math.max(floor, peak(-168L * d - w, -168L * d + 1 + w));
                }
                if (last < oomBumpUntil) {
                    floor = Math.max(floor, oomBump);
                }
                double held = peak(-(long) key("hold", 336) + 1, 0);
                if (lastOom != Long.MIN_VALUE && last - lastOom < key("oomhold", 0) * HOUR) {
                    floor = Math.max(floor, held);
                }
                if (key("hz", 0) > 0 && hoursSeen > 0 && burstHours / hoursSeen > key("hz", 0)) {
                    floor = Math.max(floor, held);
                }
                if (key("cpulead", 0) > 0 && cpuRising(key("cpulead", 0))) {
                    floor = Math.max(floor, held);
                }
                return floor;
            }

            private boolean cpuRising(double factor) {
                double[] means = new double[24];
                int n = 0;
                for (int x = 1; x <= 24; x++) {
                    if (hourSamples[slot(hour - x)] > 0) {
                        means[n++] = hourCpu[slot(hour - x)] / hourSamples[slot(hour - x)];
                    }
                }
                if (n < 6 || hourSamples[slot(hour)] == 0) {
                    return false;
                }
                Arrays.sort(means, 0, n);
                return hourCpu[slot(hour)] / hourSamples[slot(hour)] > factor * means[n / 2] + 0.01;
            }

            @Override
            public Allocation recommend() {
                Allocation fromModels = models.recommend();
                if (first == Long.MIN_VALUE || last - first < DAY) {
                    return pure ? new Allocation(inForce.cpuCores(), Math.max(inForce.memoryBytes(), last < oomBumpUntil ? oomBump : 0)) : fromModels;
                }
                double memory = pure ? floor() * key("scale", 1.0) : Math.max(fromModels.memoryBytes(), floor());
                double now = inForce.memoryBytes();
                double threshold = RightsizingTraceBench.APPLY_THRESHOLD;
                if (key("upround", 0) > 0 && memory > now && memory <= now * (1 + threshold)) {
                    memory = now * (1 + threshold) * 1.0001;
                }
                if (key("downround", 0) > 0 && memory < now && memory >= now * (1 - threshold)) {
                    memory = now * (1 - threshold) * 0.9999;
                }
                return new Allocation(pure ? inForce.cpuCores() : fromModels.cpuCores(), memory);
            }
        }
    }
}
