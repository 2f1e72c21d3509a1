package io.onloop.bench.rightsizing;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.KrrSimpleRecommender;
import io.onloop.domain.rightsizing.OnloopRecommender;
import io.onloop.domain.rightsizing.Recommender;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.VpaRecommender;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Replays the Bitbrains Rnd trace (100 VMs, three months, 5-minute samples) through each recommender.
 * <p>
 * Each VM starts at what it was provisioned. At every sample the allocation in force is measured against
 * the usage, then the recommender observes the sample. Once an hour (VPA recomputes periodically too)
 * the recommender is asked for the next allocation; a resource is resized only when the new value differs
 * from the one in force by more than 10% (the VPA updater's default threshold), the same rule for every
 * strategy. A CPU core is the VM's provisioned MHz divided by its cores.
 * <p>
 * Usage: {@code RightsizingTraceBench [dataFolder] [pricePerVcpuHour] [pricePerGibHour] [--vms=FIRST-LAST]}; the
 * folder defaults to {@code ../shared/data/bitbrains-rnd} (relative to the repository root, where Maven runs);
 * {@code --vms=51-100} replays only those VMs (by file number), e.g. the half not used to choose onloop's parameters.
 */
public final class RightsizingTraceBench {

    /** AWS Fargate, us-east-1, Linux/x86, on-demand list prices: a simple per-vCPU-hour and per-GiB-hour default. */
    static final double DEFAULT_PRICE_PER_VCPU_HOUR = 0.04048;
    static final double DEFAULT_PRICE_PER_GIB_HOUR = 0.004445;
    static final long RECOMPUTE_SECONDS = 3600;
    static final double APPLY_THRESHOLD = 0.10;
    static final double GIB = 1024.0 * 1024 * 1024;

    /** One VM's trace: usage and provisioning per sample. */
    record Trace(String vm, long[] time, double[] cpuUsed, double[] memUsed, double[] cpuProvisioned, double[] memProvisioned) {
        int size() {
            return time.length;
        }
    }

    /** Sums for one strategy; merged across VMs. */
    static final class Score {
        long samples;
        double cpuSlack;
        double memSlack;
        long cpuOverruns;
        long memOverruns;
        int vmsWithOom;
        long changes;
        double cpuCoreHours;
        double memGibHours;
        int vms;

        void add(Score o) {
            samples += o.samples;
            cpuSlack += o.cpuSlack;
            memSlack += o.memSlack;
            cpuOverruns += o.cpuOverruns;
            memOverruns += o.memOverruns;
            vmsWithOom += o.vmsWithOom;
            changes += o.changes;
            cpuCoreHours += o.cpuCoreHours;
            memGibHours += o.memGibHours;
            vms += o.vms;
        }

        double cost(double cpuPrice, double gibPrice) {
            return cpuCoreHours * cpuPrice + memGibHours * gibPrice;
        }
    }

    public static void main(String[] allArgs) throws Exception {
        int[] vmRange = {Integer.MIN_VALUE, Integer.MAX_VALUE};
        List<String> positional = new ArrayList<>();
        for (String arg : allArgs) {
            if (arg.startsWith("--vms=")) {
                vmRange = parseVmRange(arg.substring("--vms=".length()));
            } else {
                positional.add(arg);
            }
        }
        String[] args = positional.toArray(String[]::new);
        Path folder = Paths.get(args.length > 0 ? args[0] : "../shared/data/bitbrains-rnd").toAbsolutePath().normalize();
        double cpuPrice = args.length > 1 ? Double.parseDouble(args[1]) : DEFAULT_PRICE_PER_VCPU_HOUR;
        double gibPrice = args.length > 2 ? Double.parseDouble(args[2]) : DEFAULT_PRICE_PER_GIB_HOUR;
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("no trace folder at " + folder + " (run from the repository root or pass the path)");
        }
        long start = System.nanoTime();
        List<Trace> traces = inRange(load(folder), vmRange);
        long samples = traces.stream().mapToLong(Trace::size).sum();
        System.out.printf(Locale.ROOT, "Bitbrains Rnd: %d VMs%s, %d samples from %s (loaded in %.1f s)%n",
                traces.size(), vmRange[0] == Integer.MIN_VALUE ? "" : " (VMs " + vmRange[0] + "-" + vmRange[1] + ")",
                samples, folder, (System.nanoTime() - start) / 1e9);

        List<Recommender> recommenders = List.of(new VpaRecommender(), new KrrSimpleRecommender(), new OnloopRecommender());
        List<String> names = new ArrayList<>(List.of("as provisioned"));
        recommenders.forEach(r -> names.add(r.name()));
        Score[] totals = new Score[names.size()];
        for (int i = 0; i < totals.length; i++) {
            totals[i] = new Score();
        }
        List<Score[]> perVm = traces.parallelStream().map(trace -> {
            Score[] scores = new Score[names.size()];
            scores[0] = replayAsProvisioned(trace);
            for (int i = 0; i < recommenders.size(); i++) {
                scores[i + 1] = replay(trace, recommenders.get(i));
            }
            return scores;
        }).toList();
        for (Score[] scores : perVm) {
            for (int i = 0; i < scores.length; i++) {
                totals[i].add(scores[i]);
            }
        }

        double baseline = totals[0].cost(cpuPrice, gibPrice);
        System.out.printf(Locale.ROOT, "Recompute every %d s; resize when a resource moves by more than %.0f%%; prices $%.5f/vCPU-h, $%.6f/GiB-h%n",
                RECOMPUTE_SECONDS, APPLY_THRESHOLD * 100, cpuPrice, gibPrice);
        System.out.println();
        System.out.println("| strategy | CPU slack | memory slack | CPU samples throttled | memory samples OOM | VMs with an OOM | changes per VM | cost vs provisioned |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (int i = 0; i < totals.length; i++) {
            Score s = totals[i];
            System.out.printf(Locale.ROOT, "| %s | %.1f%% | %.1f%% | %.2f%% | %.3f%% | %d | %.1f | %.1f%% |%n",
                    names.get(i), 100 * s.cpuSlack / s.samples, 100 * s.memSlack / s.samples,
                    100.0 * s.cpuOverruns / s.samples, 100.0 * s.memOverruns / s.samples, s.vmsWithOom,
                    (double) s.changes / s.vms, 100 * s.cost(cpuPrice, gibPrice) / baseline);
        }
        System.out.printf(Locale.ROOT, "%nSlack is (allocated - used) / allocated per sample, 0 when usage is above the allocation, averaged over all samples.%n");
        System.out.printf(Locale.ROOT, "Elapsed %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** "51-100" to {51, 100}. */
    static int[] parseVmRange(String range) {
        String[] ends = range.split("-");
        if (ends.length != 2) {
            throw new IllegalArgumentException("--vms takes FIRST-LAST, e.g. --vms=51-100: " + range);
        }
        return new int[]{Integer.parseInt(ends[0].trim()), Integer.parseInt(ends[1].trim())};
    }

    static List<Trace> inRange(List<Trace> traces, int[] range) {
        return traces.stream().filter(t -> {
            int vm = Integer.parseInt(t.vm());
            return vm >= range[0] && vm <= range[1];
        }).toList();
    }

    static Score replayAsProvisioned(Trace trace) {
        Score score = new Score();
        score.vms = 1;
        for (int i = 0; i < trace.size(); i++) {
            measure(score, trace, i, trace.cpuProvisioned()[i], trace.memProvisioned()[i]);
        }
        score.vmsWithOom = score.memOverruns > 0 ? 1 : 0;
        return score;
    }

    static Score replay(Trace trace, Recommender recommender) {
        return replay(trace, recommender, RECOMPUTE_SECONDS, APPLY_THRESHOLD, null);
    }

    /** Sees each sample with the memory allocation in force (for studies of where slack and OOMs come from). */
    interface SampleSink {
        void sample(Trace trace, int i, double memoryAllocated);
    }

    /** The replay under another recompute cadence and apply threshold; {@code sink} may be null. */
    static Score replay(Trace trace, Recommender recommender, long cadence, double threshold, SampleSink sink) {
        Score score = new Score();
        score.vms = 1;
        double cpu = trace.cpuProvisioned()[0];
        double mem = trace.memProvisioned()[0];
        Recommender.Workload workload = recommender.follow(new Allocation(cpu, mem));
        long lastRecompute = trace.time()[0];
        for (int i = 0; i < trace.size(); i++) {
            measure(score, trace, i, cpu, mem);
            if (sink != null) {
                sink.sample(trace, i, mem);
            }
            long t = trace.time()[i];
            workload.observe(new UsageSample(t, trace.cpuUsed()[i], trace.memUsed()[i]), new Allocation(cpu, mem));
            if (t - lastRecompute >= cadence) {
                lastRecompute = t;
                Allocation next = workload.recommend();
                boolean changed = false;
                if (Math.abs(next.cpuCores() - cpu) > threshold * cpu) {
                    cpu = next.cpuCores();
                    changed = true;
                }
                if (Math.abs(next.memoryBytes() - mem) > threshold * mem) {
                    mem = next.memoryBytes();
                    changed = true;
                }
                if (changed) {
                    score.changes++;
                }
            }
        }
        score.vmsWithOom = score.memOverruns > 0 ? 1 : 0;
        return score;
    }

    private static void measure(Score score, Trace trace, int i, double cpu, double mem) {
        double cpuUsed = trace.cpuUsed()[i];
        double memUsed = trace.memUsed()[i];
        score.samples++;
        score.cpuSlack += Math.max(0, (cpu - cpuUsed) / cpu);
        score.memSlack += Math.max(0, (mem - memUsed) / mem);
        if (cpuUsed > cpu) {
            score.cpuOverruns++;
        }
        if (memUsed > mem) {
            score.memOverruns++;
        }
        double hours = 300 / 3600.0;  // one 5-minute sample
        score.cpuCoreHours += cpu * hours;
        score.memGibHours += mem / GIB * hours;
    }

    /** Reads every VM's months in time order; rows without a provisioned size are skipped. */
    static List<Trace> load(Path folder) throws IOException {
        List<Path> months;
        try (Stream<Path> s = Files.list(folder)) {
            months = s.filter(Files::isDirectory).sorted().toList();
        }
        TreeMap<Integer, List<Path>> filesByVm = new TreeMap<>();
        for (Path month : months) {
            try (Stream<Path> s = Files.list(month)) {
                s.filter(p -> p.getFileName().toString().endsWith(".csv.gz")).forEach(p -> {
                    int vm = Integer.parseInt(p.getFileName().toString().replace(".csv.gz", ""));
                    filesByVm.computeIfAbsent(vm, k -> new ArrayList<>()).add(p);
                });
            }
        }
        return filesByVm.entrySet().parallelStream().map(e -> read(String.valueOf(e.getKey()), e.getValue())).toList();
    }

    private static Trace read(String vm, List<Path> files) {
        TreeMap<Long, double[]> rows = new TreeMap<>();  // by time: drops duplicate timestamps, keeps order
        for (Path file : files) {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
                in.readLine();  // header
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split(";");
                    if (f.length < 7) {
                        continue;
                    }
                    long t = Long.parseLong(f[0].trim());  // "Timestamp [ms]" is in seconds
                    double cores = Double.parseDouble(f[1].trim());
                    double capacityMhz = Double.parseDouble(f[2].trim());
                    double usageMhz = Double.parseDouble(f[3].trim());
                    double memCapacityKb = Double.parseDouble(f[5].trim());
                    double memUsageKb = Double.parseDouble(f[6].trim());
                    if (cores <= 0 || capacityMhz <= 0 || memCapacityKb <= 0) {
                        continue;
                    }
                    double mhzPerCore = capacityMhz / cores;
                    rows.put(t, new double[]{Math.max(0, usageMhz / mhzPerCore), Math.max(0, memUsageKb * 1024), cores, memCapacityKb * 1024});
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file.toString(), e);
            }
        }
        int n = rows.size();
        long[] time = new long[n];
        double[] cpuUsed = new double[n];
        double[] memUsed = new double[n];
        double[] cpuProv = new double[n];
        double[] memProv = new double[n];
        int i = 0;
        for (var row : rows.entrySet()) {
            time[i] = row.getKey();
            double[] v = row.getValue();
            cpuUsed[i] = v[0];
            memUsed[i] = v[1];
            cpuProv[i] = v[2];
            memProv[i] = v[3];
            i++;
        }
        return new Trace(vm, time, cpuUsed, memUsed, cpuProv, memProv);
    }
}
