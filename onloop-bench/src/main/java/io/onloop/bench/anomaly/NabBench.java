package io.onloop.bench.anomaly;

import io.onloop.domain.anomaly.AnomalyDetector;
import io.onloop.domain.anomaly.EnsembleDetector;
import io.onloop.domain.anomaly.KnnConformalDetector;
import io.onloop.domain.anomaly.NoveltyDetector;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs {@link NoveltyDetector} (or, with {@code -Dnab.detector=knncad|ensemble}, {@link KnnConformalDetector}
 * or {@link EnsembleDetector}) over a corpus in NAB's layout and scores it as NAB does
 * (see {@link NabScorer}). Arguments: the corpus folder (holding {@code data/} or the category
 * folders), the windows file ({@code combined_windows.json}), the results folder, and optionally
 * the profiles file (default: {@code profiles.json} next to the windows file).
 * Writes {@code <results>/onloop/<category>/onloop_<file>.csv} in NAB's results format.
 */
public final class NabBench {

    private static final String DETECTOR = "onloop";

    record Series(String key, String[] timestamps, long[] millis, double[] values, int[][] windows) {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: NabBench <corpus dir> <combined_windows.json> <results dir> [profiles.json]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        Path windowsFile = Path.of(args[1]);
        Path results = Path.of(args[2]);
        Path profilesFile = args.length > 3 ? Path.of(args[3]) : windowsFile.resolveSibling("profiles.json");

        ObjectMapper json = new ObjectMapper();
        Map<String, List<List<String>>> windowsByKey = new TreeMap<>(json.readValue(windowsFile.toFile(),
                new TypeReference<Map<String, List<List<String>>>>() {}));
        List<NabScorer.Profile> profiles = readProfiles(json.readTree(profilesFile.toFile()));

        List<Series> corpusSeries = new ArrayList<>();
        // -Dnab.half=a|b: every other series in alphabetical order (a: 1st, 3rd, ...), to choose
        // parameters on one half and report the other.
        String half = System.getProperty("nab.half", "all");
        int index = 0;
        for (var entry : windowsByKey.entrySet()) {
            boolean inA = index++ % 2 == 0;
            if (half.equals("all") || half.equals("a") == inA) {
                corpusSeries.add(read(corpus, entry.getKey(), entry.getValue()));
            }
        }

        // Detection: one detector per series, then the results files.
        List<double[]> scores = new ArrayList<>();
        long points = 0, maxState = 0, sumState = 0;
        for (Series s : corpusSeries) {
            AnomalyDetector detector = newDetector();
            double[] out = new double[s.values().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = detector.score(s.millis()[i], s.values()[i]);
            }
            scores.add(out);
            points += out.length;
            maxState = Math.max(maxState, detector.stateBytes());
            sumState += detector.stateBytes();
            writeResults(results, s, out);
        }

        // Scoring: one threshold per profile over the whole corpus.
        int windowCount = corpusSeries.stream().mapToInt(s -> s.windows().length).sum();
        System.out.printf("NAB corpus: %d series, %d points, %d windows (%s)%n",
                corpusSeries.size(), points, windowCount, corpus.toAbsolutePath().normalize());
        System.out.printf("%-20s %10s %10s %9s %6s %8s %6s%n",
                "profile", "score", "threshold", "raw", "TPwin", "FP rows", "FNwin");
        List<List<NabScorer.Row>> standardRows = null;
        NabScorer.Result standard = null;
        for (NabScorer.Profile profile : profiles) {
            List<List<NabScorer.Row>> perSeries = new ArrayList<>();
            List<NabScorer.Row> all = new ArrayList<>();
            int firstWindow = 0;
            for (int k = 0; k < corpusSeries.size(); k++) {
                Series s = corpusSeries.get(k);
                List<NabScorer.Row> rows = NabScorer.sweepRows(scores.get(k), s.windows(), firstWindow, profile);
                firstWindow += s.windows().length;
                perSeries.add(rows);
                all.addAll(rows);
            }
            NabScorer.Result r = NabScorer.optimize(profile, all, windowCount);
            System.out.printf("%-20s %10.1f %10.4f %9.2f %6d %8d %6d%n", r.profile(), r.normalized(),
                    r.threshold(), r.raw(), r.tp(), r.fp(), r.fn());
            String fixed = System.getProperty("nab.threshold");
            if (fixed != null) {
                // The score at a threshold chosen beforehand (no sweep), e.g. the detector's own alarm level.
                double t = Double.parseDouble(fixed);
                double raw = perSeries.stream().mapToDouble(rows -> NabScorer.scoreAt(rows, t, profile)).sum();
                double nullScore = -profile.fnWeight() * windowCount;
                System.out.printf("%-20s %10.1f %10.4f %9.2f   (fixed threshold)%n", r.profile(),
                        100.0 * (raw - nullScore) / (profile.tpWeight() * windowCount - nullScore), t, raw);
            }
            if (profile.name().equals("standard")) {
                standardRows = perSeries;
                standard = r;
            }
        }
        if (standard != null && Boolean.getBoolean("nab.perSeries")) {
            for (int k = 0; k < corpusSeries.size(); k++) {
                System.out.printf("  %-60s %7.2f%n", corpusSeries.get(k).key(), NabScorer.scoreAt(
                        standardRows.get(k), standard.threshold(), profiles.stream()
                                .filter(p -> p.name().equals("standard")).findFirst().orElseThrow()));
            }
        }

        if (!Boolean.getBoolean("nab.noThroughput")) {
            measureThroughput(corpusSeries, points);
        }
        System.out.printf("state per series: max %d bytes, mean %d bytes (stateBytes)%n",
                maxState, sumState / corpusSeries.size());
        System.out.printf("results written to %s%n", results.resolve(DETECTOR).toAbsolutePath().normalize());
    }

    /** Best of five passes over the whole corpus on this thread (the first passes warm the JIT). */
    private static void measureThroughput(List<Series> corpusSeries, long points) {
        double best = 0;
        double sink = 0;
        for (int pass = 0; pass < 5; pass++) {
            long t0 = System.nanoTime();
            for (Series s : corpusSeries) {
                AnomalyDetector detector = newDetector();
                for (int i = 0; i < s.values().length; i++) {
                    sink += detector.score(s.millis()[i], s.values()[i]);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            best = Math.max(best, points / seconds);
        }
        System.out.printf("throughput: %.2f million points/s on one thread (checksum %.1f)%n", best / 1e6, sink);
    }

    private static List<NabScorer.Profile> readProfiles(JsonNode root) {
        List<NabScorer.Profile> out = new ArrayList<>();
        for (String name : root.propertyNames()) {
            JsonNode cost = root.get(name).get("CostMatrix");
            out.add(new NabScorer.Profile(name, cost.get("tpWeight").asDouble(),
                    cost.get("fpWeight").asDouble(), cost.get("fnWeight").asDouble()));
        }
        return out;
    }

    private static Series read(Path corpus, String key, List<List<String>> windowLimits) throws IOException {
        Path file = corpus.resolve("data").resolve(key);
        if (!Files.exists(file)) {
            file = corpus.resolve(key);
        }
        List<String> lines = Files.readAllLines(file);
        int n = lines.size() - 1; // header
        String[] ts = new String[n];
        long[] millis = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            String line = lines.get(i + 1);
            int comma = line.indexOf(',');
            ts[i] = line.substring(0, comma);
            millis[i] = parse(ts[i]);
            values[i] = Double.parseDouble(line.substring(comma + 1).trim());
        }
        int[][] windows = new int[windowLimits.size()][];
        for (int w = 0; w < windows.length; w++) {
            long start = parse(windowLimits.get(w).get(0));
            long end = parse(windowLimits.get(w).get(1));
            int first = -1, last = -1;
            for (int i = 0; i < n; i++) {
                if (first < 0 && millis[i] >= start) {
                    first = i;
                }
                if (millis[i] <= end) {
                    last = i;
                }
            }
            windows[w] = new int[] {first, last};
        }
        return new Series(key, ts, millis, values, windows);
    }

    private static long parse(String timestamp) {
        return LocalDateTime.parse(timestamp.trim().replace(' ', 'T')).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    private static void writeResults(Path results, Series s, double[] scores) throws IOException {
        Path rel = Path.of(s.key());
        Path dir = results.resolve(DETECTOR);
        if (rel.getParent() != null) {
            dir = dir.resolve(rel.getParent());
        }
        Files.createDirectories(dir);
        int[] label = new int[scores.length];
        for (int[] w : s.windows()) {
            for (int i = w[0]; i <= w[1]; i++) {
                label[i] = 1;
            }
        }
        try (BufferedWriter out = Files.newBufferedWriter(dir.resolve(DETECTOR + "_" + rel.getFileName()))) {
            out.write("timestamp,value,anomaly_score,label\n");
            for (int i = 0; i < scores.length; i++) {
                out.write(s.timestamps()[i] + "," + s.values()[i] + "," + scores[i] + "," + label[i] + "\n");
            }
        }
    }

    /** The detector under test: {@code -Dnab.detector=novelty} (default), {@code knncad} or {@code ensemble}. */
    static AnomalyDetector newDetector() {
        return switch (System.getProperty("nab.detector", "novelty")) {
            case "novelty" -> new NoveltyDetector(noveltyParams());
            case "knncad" -> new KnnConformalDetector();
            case "ensemble" -> new EnsembleDetector();
            default -> throw new IllegalArgumentException("nab.detector: novelty, knncad or ensemble");
        };
    }

    /** {@link NoveltyDetector.Params#DEFAULT}, or {@code -Dnab.params=learn,bins,...} in the record's order. */
    private static NoveltyDetector.Params noveltyParams() {
        String spec = System.getProperty("nab.params");
        if (spec == null) {
            return NoveltyDetector.Params.DEFAULT;
        }
        String[] v = spec.split(",");
        return new NoveltyDetector.Params(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]),
                Integer.parseInt(v[3]), Double.parseDouble(v[4]), Double.parseDouble(v[5]), Integer.parseInt(v[6]),
                Integer.parseInt(v[7]), Double.parseDouble(v[8]), Double.parseDouble(v[9]));
    }

    private NabBench() {}
}
