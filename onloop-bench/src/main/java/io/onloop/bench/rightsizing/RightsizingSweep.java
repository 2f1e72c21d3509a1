package io.onloop.bench.rightsizing;

import io.onloop.domain.rightsizing.KrrSimpleRecommender;
import io.onloop.domain.rightsizing.OnloopRecommender;
import io.onloop.domain.rightsizing.OnloopRecommender.ResourceSettings;
import io.onloop.domain.rightsizing.OnloopRecommender.Settings;
import io.onloop.domain.rightsizing.Recommender;
import io.onloop.domain.rightsizing.VpaRecommender;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Replays a range of Bitbrains VMs through variants of onloop's parameters, to choose the global
 * parameters on one half of the VMs (the other half is left for {@link RightsizingTraceBench --vms}).
 * <p>
 * Usage: {@code RightsizingSweep dataFolder FIRST-LAST variantsFile}. Each line of the variants file is a
 * name followed by {@code key=value} overrides of {@link OnloopRecommender#DEFAULTS}: {@code cpu.hl},
 * {@code cpu.p}, {@code cpu.m} (comma-separated lists; half-lives as 2h, 3d), {@code cpu.ow}, {@code cpu.cw},
 * {@code cpu.chl}, {@code cpu.min}, {@code cpu.warm}, the same with {@code mem.}, {@code peak} (a duration), {@code peakm} and {@code oomfloor} (a duration).
 * Also prints the per-sample floors: the slack left if every sample got exactly its usage, but never
 * less than VPA's minimums (25 millicores, 250 MB).
 */
public final class RightsizingSweep {

    public static void main(String[] args) throws Exception {
        Path folder = Paths.get(args[0]).toAbsolutePath().normalize();
        int[] range = RightsizingTraceBench.parseVmRange(args[1]);
        List<String> lines = Files.readAllLines(Paths.get(args[2])).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        List<RightsizingTraceBench.Trace> traces = RightsizingTraceBench.inRange(RightsizingTraceBench.load(folder), range);
        System.out.printf(Locale.ROOT, "%d VMs (%s)%n", traces.size(), args[1]);
        floors(traces);
        run("VPA", new VpaRecommender(), traces);
        run("KRR", new KrrSimpleRecommender(), traces);
        run("KRR with VPA's minimums", withMinimums(new KrrSimpleRecommender()), traces);
        for (String line : lines) {
            String[] parts = line.split("\\s+");
            run(parts[0], new OnloopRecommender(settings(Arrays.copyOfRange(parts, 1, parts.length))), traces);
        }
    }

    /** For diagnosis only: a recommender held to VPA's minimums, to see what the minimums cost. */
    static Recommender withMinimums(Recommender r) {
        return new Recommender() {
            @Override
            public String name() {
                return r.name() + " + minimums";
            }

            @Override
            public Workload follow(io.onloop.domain.rightsizing.Allocation current) {
                Workload w = r.follow(current);
                return new Workload() {
                    @Override
                    public void observe(io.onloop.domain.rightsizing.UsageSample sample, io.onloop.domain.rightsizing.Allocation inForce) {
                        w.observe(sample, inForce);
                    }

                    @Override
                    public io.onloop.domain.rightsizing.Allocation recommend() {
                        var a = w.recommend();
                        return new io.onloop.domain.rightsizing.Allocation(Math.max(a.cpuCores(), VpaRecommender.MIN_CPU_CORES), Math.max(a.memoryBytes(), VpaRecommender.MIN_MEMORY_BYTES));
                    }
                };
            }
        };
    }

    static void floors(List<RightsizingTraceBench.Trace> traces) {
        double cpuSlack = 0;
        double memSlack = 0;
        long n = 0;
        long cpuBelow = 0;
        long memBelow = 0;
        for (var t : traces) {
            for (int i = 0; i < t.size(); i++) {
                double c = Math.max(VpaRecommender.MIN_CPU_CORES, t.cpuUsed()[i]);
                double m = Math.max(VpaRecommender.MIN_MEMORY_BYTES, t.memUsed()[i]);
                cpuSlack += (c - t.cpuUsed()[i]) / c;
                memSlack += (m - t.memUsed()[i]) / m;
                n++;
                cpuBelow += t.cpuUsed()[i] < VpaRecommender.MIN_CPU_CORES ? 1 : 0;
                memBelow += t.memUsed()[i] < VpaRecommender.MIN_MEMORY_BYTES ? 1 : 0;
            }
        }
        for (long window : new long[]{3600, 86400}) {
            double cs = 0;
            double ms = 0;
            for (var t : traces) {
                int i = 0;
                while (i < t.size()) {
                    int j = i;
                    double cmax = VpaRecommender.MIN_CPU_CORES;
                    double mmax = VpaRecommender.MIN_MEMORY_BYTES;
                    long w = Math.floorDiv(t.time()[i], window);
                    while (j < t.size() && Math.floorDiv(t.time()[j], window) == w) {
                        cmax = Math.max(cmax, t.cpuUsed()[j]);
                        mmax = Math.max(mmax, t.memUsed()[j]);
                        j++;
                    }
                    for (int k = i; k < j; k++) {
                        cs += (cmax - t.cpuUsed()[k]) / cmax;
                        ms += (mmax - t.memUsed()[k]) / mmax;
                    }
                    i = j;
                }
            }
            System.out.printf(Locale.ROOT, "%-28s cpu slack %5.1f%%                  mem slack %5.1f%%%n",
                    "clairvoyant peak per " + (window / 3600) + " h", 100 * cs / n, 100 * ms / n);
        }
        System.out.printf(Locale.ROOT, "samples below the minimums: cpu %.1f%%, memory %.1f%%%n", 100.0 * cpuBelow / n, 100.0 * memBelow / n);
        System.out.printf(Locale.ROOT, "%-28s cpu slack %5.1f%%                  mem slack %5.1f%%%n", "per-sample floor", 100 * cpuSlack / n, 100 * memSlack / n);
    }

    static void run(String name, Recommender recommender, List<RightsizingTraceBench.Trace> traces) {
        long start = System.nanoTime();
        RightsizingTraceBench.Score total = new RightsizingTraceBench.Score();
        traces.parallelStream().map(t -> RightsizingTraceBench.replay(t, recommender)).toList().forEach(total::add);
        System.out.printf(Locale.ROOT, "%-28s cpu slack %5.1f%% thr %6.2f%%   mem slack %5.1f%% oom %6.3f%% (%d VMs)   changes/VM %6.1f  (%.0f s)%n",
                name, 100 * total.cpuSlack / total.samples, 100.0 * total.cpuOverruns / total.samples,
                100 * total.memSlack / total.samples, 100.0 * total.memOverruns / total.samples, total.vmsWithOom,
                (double) total.changes / total.vms, (System.nanoTime() - start) / 1e9);
    }


    static Settings settings(String[] overrides) {
        Map<String, String> o = new HashMap<>();
        for (String kv : overrides) {
            int eq = kv.indexOf('=');
            o.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        Settings d = OnloopRecommender.DEFAULTS;
        return new Settings(resource("cpu.", d.cpu(), o), resource("mem.", d.memory(), o),
                o.containsKey("peak") ? seconds(o.get("peak")) : d.memoryPeakFloorSeconds(),
                o.containsKey("peakm") ? Double.parseDouble(o.get("peakm")) : d.memoryPeakFloorMargin(),
                o.containsKey("oomfloor") ? seconds(o.get("oomfloor")) : d.oomFloorSeconds());
    }

    private static ResourceSettings resource(String prefix, ResourceSettings d, Map<String, String> o) {
        return new ResourceSettings(
                o.containsKey(prefix + "hl") ? Arrays.stream(o.get(prefix + "hl").split(",")).mapToLong(RightsizingSweep::seconds).toArray() : d.halfLivesSeconds(),
                o.containsKey(prefix + "p") ? doubles(o.get(prefix + "p")) : d.percentiles(),
                o.containsKey(prefix + "m") ? doubles(o.get(prefix + "m")) : d.margins(),
                o.containsKey(prefix + "ow") ? Double.parseDouble(o.get(prefix + "ow")) : d.overrunWeight(),
                o.containsKey(prefix + "cw") ? Double.parseDouble(o.get(prefix + "cw")) : d.changeWeight(),
                o.containsKey(prefix + "chl") ? seconds(o.get(prefix + "chl")) : d.costHalfLifeSeconds(),
                o.containsKey(prefix + "min") ? Double.parseDouble(o.get(prefix + "min")) : d.minimum(),
                o.containsKey(prefix + "warm") ? seconds(o.get(prefix + "warm")) : d.warmUpSeconds());
    }

    private static double[] doubles(String list) {
        return Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
    }

    private static long seconds(String duration) {
        char unit = duration.charAt(duration.length() - 1);
        long n = Long.parseLong(duration.substring(0, duration.length() - 1));
        return switch (unit) {
            case 'm' -> n * 60;
            case 'h' -> n * 3600;
            case 'd' -> n * 86400;
            default -> throw new IllegalArgumentException(duration);
        };
    }
}
