package io.onloop.bench.anomaly;

import io.onloop.domain.anomaly.AnomalyDetector;
import io.onloop.domain.anomaly.EnsembleDetector;
import io.onloop.domain.anomaly.KnnConformalDetector;
import io.onloop.domain.anomaly.NoveltyDetector;
import io.onloop.domain.anomaly.watch.MetricWatcher;
import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * What the anomaly watcher costs in the server: points per second through {@link MetricWatcher}
 * (detector, window, band, events) on one thread, and heap per tracked series, for N series of one
 * watch (anomaly) or N series of an exhaustion watch. The backend is generated in memory, so this
 * measures onloop, not Prometheus. Arguments: {@code anomaly|exhaustion} {@code series}
 * {@code ticks}; {@code -Dwatch.detector=ensemble} or {@code knn} for the other detectors.
 */
public final class WatcherBench {

    public static void main(String[] args) {
        String kind = args.length > 0 ? args[0] : "anomaly";
        int seriesCount = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int ticks = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        Duration step = Duration.ofMinutes(1);
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        var backend = new Generated(seriesCount);
        String detector = System.getProperty("watch.detector", "novelty");
        Supplier<AnomalyDetector> detectors = switch (detector) {
            case "novelty" -> NoveltyDetector::new;
            case "ensemble" -> EnsembleDetector::new;
            case "knn" -> KnnConformalDetector::new;
            default -> throw new IllegalArgumentException("watch.detector: novelty, ensemble or knn");
        };
        var watcher = new MetricWatcher(backend, detectors,
                new MetricWatcher.Settings(Duration.ofMinutes(1), seriesCount, 240, 60, 5, 360, 10));
        Watch watch = kind.equals("exhaustion")
                ? Watch.exhaustion("bench", "q", step, 1e12, Duration.ofHours(4))
                : Watch.anomaly("bench", "q", step);

        long heapBefore = usedHeap();
        long points = 0;
        long events = 0;
        long t0 = 0;
        for (int i = 0; i <= ticks; i++) {
            if (i == 1) {
                t0 = System.nanoTime(); // tick 0 creates the series (and warms the JIT a little)
                points = 0;
            }
            var r = watcher.tick(List.of(watch), start.plus(step.multipliedBy(i)));
            points += r.points();
            events += r.events().size();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long heapAfter = usedHeap();
        System.out.printf("kind=%s detector=%s series=%d ticks=%d points=%d events=%d seconds=%.2f points/s=%.0f%n",
                kind, detector, seriesCount, ticks, points, events, seconds, points / seconds);
        System.out.printf("heap per series: %.0f bytes measured (used heap after GC, %d series), %d bytes by stateBytes()%n",
                (heapAfter - heapBefore) / (double) seriesCount, watcher.trackedSeries(), watcher.stateBytes() / watcher.trackedSeries());
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** One point per series per step: a noisy level with a slow rise, and a spike now and then. */
    private static final class Generated implements MetricsQuery {
        private final List<Map<String, String>> labels = new ArrayList<>();
        private final SplittableRandom random = new SplittableRandom(7);

        Generated(int n) {
            for (int i = 0; i < n; i++) {
                labels.add(Map.of("__name__", "bench", "instance", "host-" + i + ":9100", "job", "node"));
            }
        }

        @Override
        public String backend() {
            return "generated";
        }

        @Override
        public synchronized List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
            List<MetricSeries> out = new ArrayList<>(labels.size());
            long t = end.toEpochMilli();
            long minute = t / 60_000;
            for (int i = 0; i < labels.size(); i++) {
                double v = 100 + i % 50 + minute * 0.01 + random.nextGaussian() + (random.nextInt(5000) == 0 ? 50 : 0);
                out.add(new MetricSeries(labels.get(i), List.of(new MetricSeries.Point(t, v))));
            }
            return out;
        }

        @Override
        public List<MetricSeries> instant(String query, Instant at) {
            return range(query, at, at, Duration.ofMinutes(1));
        }
    }
}
