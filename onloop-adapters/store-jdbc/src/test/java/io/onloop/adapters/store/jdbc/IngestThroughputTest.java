package io.onloop.adapters.store.jdbc;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A rough, opt-in measurement of durable ingest through the group-commit writer (not a timed test):
 * {@code -Donloop.bench=true -Dtest=IngestThroughputTest}. The real benchmark lives in onloop-bench.
 */
class IngestThroughputTest {
    private static final int EVENTS = 20_000;
    private static final int THREADS = 8;

    @Test
    void h2(@TempDir Path dir) throws Exception {
        assumeTrue(Boolean.getBoolean("onloop.bench"), "opt-in: -Donloop.bench=true");
        try (TestDatabase db = TestDatabase.h2(dir)) {
            measure("H2 (file)", JdbcStores.migrateAndOpen(db.dataSource));
        }
    }

    @Test
    void postgres() throws Exception {
        assumeTrue(Boolean.getBoolean("onloop.bench"), "opt-in: -Donloop.bench=true");
        try (TestDatabase db = TestDatabase.postgres()) {
            measure("PostgreSQL", JdbcStores.migrateAndOpen(db.dataSource));
        }
    }

    private static void measure(String name, JdbcStores stores) throws Exception {
        IncidentGrouping grouping = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);
        run(stores, grouping, 2_000); // warm-up
        long start = System.nanoTime();
        run(stores, grouping, EVENTS);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("%s: %d single-event requests from %d threads, durable, in %.2f s = %.0f events/s%n",
                name, EVENTS, THREADS, seconds, EVENTS / seconds);
    }

    private static void run(JdbcStores stores, IncidentGrouping grouping, int events) throws Exception {
        List<CompletableFuture<List<Event>>> futures = new ArrayList<>();
        try (EventIngestor ingestor = new EventIngestor(stores.eventStore(), grouping, events, 500, b -> {
        }); ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            List<java.util.concurrent.Future<List<CompletableFuture<List<Event>>>>> submitted = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<List<Event>>> mine = new ArrayList<>();
                    for (int i = thread; i < events; i += THREADS) {
                        Instant now = Instant.now();
                        String fp = "fp-" + (i % 500);
                        mine.add(ingestor.submit(List.of(new Event(Ids.newId(now), "bench", null, SourceType.ALERTMANAGER,
                                now, now, EventStatus.FIRING, Severity.HIGH, "warning", "High latency " + fp,
                                "p99 above 2s", Resource.of("kubernetes", "prod/Pod/api-" + (i % 50)),
                                Map.of("alertname", "HighLatency", "pod", "api-" + (i % 50), "instance", fp), fp, null,
                                "{\"labels\":{\"alertname\":\"HighLatency\"}}", null))));
                    }
                    return mine;
                }));
            }
            for (var f : submitted) {
                futures.addAll(f.get());
            }
            for (var f : futures) {
                assertThat(f.get(120, TimeUnit.SECONDS)).hasSize(1);
            }
        }
    }
}
