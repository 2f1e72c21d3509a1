package io.onloop.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.journal.FileEventJournal;
import io.onloop.adapters.runbooks.KnowledgeBase;
import io.onloop.domain.runbook.RecipeEnrichment;
import io.onloop.domain.runbook.RunbookEngine;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventRetention;
import io.onloop.domain.store.Pruned;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ingest without HTTP: SENDERS threads submit one event each (like one webhook with one alert)
 * through {@link EventIngestor} into the file journal and the real JDBC store, DISTINCT
 * fingerprints, every 10th a resolve.
 * <pre>
 * java -cp ... io.onloop.bench.StoreIngestBench h2|pg [events] [senders] [distinct] [enrich]
 * </pre>
 * With {@code enrich}, the runbook stage listens to every stored batch as it does in the server
 * (the real knowledge base, recipes stored in the same database), to see what it costs ingest.
 * Prints accepted events/s (on disk in the journal), stored events/s (grouped and committed to the
 * database, until the backlog is empty) and the average events per store transaction. A warm-up
 * of events/5 precedes the measured run on the same database. -Dbench.search=true and -Dbench.prune=true then time
 * the API's text search and retention over what was stored; -Dbench.prune=during runs retention beside a second
 * measured run. -Dbench.batch (20000, the server's default) bounds the events of one store transaction.
 * PostgreSQL connections are set as the server's (prepareThreshold=0, since session 16; reWriteBatchedInserts=true, since
 * session 30: -Dpg.extra=?reWriteBatchedInserts=false sends row by row).
 * -Dbench.disk=true (H2) then stores -Dbench.rounds (10) rounds of 30 s at a steady -Dbench.rate (500) events/s,
 * printing the file's size after each, and at the end its size after SHUTDOWN COMPACT: the live data.
 */
public final class StoreIngestBench {
    private static final String[] NAMES = {"HighCPU", "HighMemory", "DiskFilling", "PodCrashLooping", "TargetDown",
            "HighLatency", "ErrorRateHigh", "NodeNotReady", "CertExpiring", "QueueBacklog"};
    private static final Severity[] SEVERITIES = {Severity.CRITICAL, Severity.HIGH, Severity.HIGH, Severity.INFO};

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "h2";
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int senders = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int distinct = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
        boolean enrich = args.length > 4 && args[4].equals("enrich");
        Path dir = null;
        String pgDb = "onloop_bench_" + ProcessHandle.current().pid();
        HikariConfig cfg = new HikariConfig();
        cfg.setMaximumPoolSize(4);
        if (db.equals("h2")) {
            dir = Files.createTempDirectory("onloop-bench");
            cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop")
                    + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000;QUERY_CACHE_SIZE=64"
                    + (System.getProperty("h2.writeDelay") == null ? "" : ";WRITE_DELAY=" + System.getProperty("h2.writeDelay"))
                    + System.getProperty("h2.extra", ""));
        } else {
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                 Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + pgDb);
            }
            cfg.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/" + pgDb + System.getProperty("pg.extra", ""));
            // as the server's connections (PostgresConnections)
            cfg.addDataSourceProperty("prepareThreshold", "0");
            if (!cfg.getJdbcUrl().contains("reWriteBatchedInserts")) {
                cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
            }
            cfg.setUsername("postgres");
        }
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            JdbcStores stores = JdbcStores.migrateAndOpen(ds);
            UUID source = UUID.randomUUID();
            AtomicLong transactions = new AtomicLong();
            AtomicLong committed = new AtomicLong();
            Path journalDir = Files.createTempDirectory("onloop-bench-journal");
            // as in the server: new recipes wait (up to 30 s) for storing to be quiet
            var ingestorRef = new java.util.concurrent.atomic.AtomicReference<EventIngestor>();
            RecipeEnrichment enrichment = enrich ? new RecipeEnrichment(new RunbookEngine(KnowledgeBase.load()),
                    stores.recipeStore(), Optional.empty(), Clock.systemUTC(), 10_000, 1,
                    () -> ingestorRef.get() == null ? Duration.ZERO : ingestorRef.get().storingIdleFor(), Duration.ofSeconds(30)) : null;
            try (FileEventJournal journal = FileEventJournal.open(journalDir);
                 EventIngestor ingestor = new EventIngestor(journal, stores.eventStore(),
                         new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE,
                         Integer.getInteger("bench.batch", 20000), batch -> {
                             transactions.incrementAndGet();
                             committed.addAndGet(batch.size());
                             if (enrichment != null) {
                                 enrichment.committed(batch);
                             }
                         })) {
                ingestorRef.set(ingestor);
                System.out.println("runbook enrichment: " + (enrich ? "on" : "off"));
                run(ingestor, source, events / 5, senders, distinct, 0, "warm-up", transactions, committed);
                run(ingestor, source, events, senders, distinct, 1_000_000_000L, "measured", transactions, committed);
                if (Boolean.getBoolean("bench.disk")) {
                    h2Info(ds, dir, "after the measured run");
                    long rate = Long.getLong("bench.rate", 500);
                    long rounds = Long.getLong("bench.rounds", 10);
                    for (int r = 1; r <= rounds; r++) {
                        run(ingestor, source, (int) (rate * 30), senders, distinct, 2_000_000_000L + r * 100_000_000L,
                                "30 s at " + rate + "/s", transactions, committed, rate);
                        h2Info(ds, dir, "after round " + r);
                    }
                }
                if (Boolean.getBoolean("bench.search")) {
                    search(stores);
                }
                if (Boolean.getBoolean("bench.prune")) {
                    pruneThenStoreAgain(stores, ds, dir, () -> run(ingestor, source, events, senders, distinct,
                            2_000_000_000L, "measured again", transactions, committed));
                } else if ("during".equals(System.getProperty("bench.prune"))) {
                    pruneDuring(stores, ingestor, () -> run(ingestor, source, events, senders, distinct, 2_000_000_000L,
                            "measured while pruning", transactions, committed));
                }
            } finally {
                if (enrichment != null) {
                    enrichment.close();
                }
                try (var files = Files.walk(journalDir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } finally {
            if (dir != null && Boolean.getBoolean("bench.disk")) {
                try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dir.resolve("onloop"), "", "");
                     Statement s = c.createStatement()) {
                    s.execute("SHUTDOWN COMPACT");
                }
                System.out.println("H2 file after SHUTDOWN COMPACT: " + h2Size(dir.resolve("onloop.mv.db")));
            }
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            } else {
                try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                     Statement s = c.createStatement()) {
                    s.execute("DROP DATABASE IF EXISTS " + pgDb + " WITH (FORCE)");
                }
            }
        }
    }

    /**
     * -Dbench.search=true: how long the API's text search takes over what was stored (one tenant, no time range):
     * a word no event has (every row is read) and one in most titles (the first page fills at once). Three rounds
     * each; the last is printed, as the first ones warm the page cache.
     */
    private static void search(JdbcStores stores) {
        for (String text : List.of("no such words", "high")) {
            long nanos = 0;
            int found = 0;
            for (int round = 0; round < 3; round++) {
                long t0 = System.nanoTime();
                found = stores.eventStore().findEvents(new EventQuery("t1", null, null, null, null, null, null, null,
                        text, null, 50, null, 0)).items().size(); // no scan bound: this times reading every row
                nanos = System.nanoTime() - t0;
            }
            System.out.printf("search \"%s\": %d on the first page, %.0f ms%n", text, found, nanos / 1e6);
        }
    }

    interface Load {
        void run() throws InterruptedException;
    }

    /**
     * -Dbench.prune=true: how fast retention deletes what was stored. With the clock two hours ahead and one hour
     * kept, every resolved incident and every event in no incident goes (open incidents stay), in transactions of
     * 500 as in the server. Then as much again is stored, after -Dbench.pauseMs, and on H2 the file's size is
     * printed at each step: H2 reuses freed space only once it is older than its RETENTION_TIME (45 s).
     * -Dh2.writeDelay sets H2's WRITE_DELAY (default: H2's, 500 ms, as in the server).
     */
    private static void pruneThenStoreAgain(JdbcStores stores, HikariDataSource ds, Path dir, Load again)
            throws Exception {
        Path file = dir == null ? null : dir.resolve("onloop.mv.db");
        String before = h2Size(file);
        timedPrune("prune", new EventRetention(stores.eventStore(), Duration.ofHours(1), 500,
                Clock.offset(Clock.systemUTC(), Duration.ofHours(2))));
        String pruned = h2Size(file);
        Thread.sleep(Long.getLong("bench.pauseMs", 0));
        again.run(); // does H2 reuse the space retention freed?
        if (file == null) {
            return;
        }
        System.out.printf("H2 file: %s after the measured run, %s after pruning%n", before, pruned);
        h2Info(ds, dir, "after as much again");
    }

    /** The H2 file's size and how much of it H2 counts as live. */
    private static void h2Info(HikariDataSource ds, Path dir, String when) throws Exception {
        if (dir == null) {
            return;
        }
        StringBuilder b = new StringBuilder("H2 " + when + ": file " + h2Size(dir.resolve("onloop.mv.db")));
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("SELECT SETTING_NAME, SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME IN ('info.FILL_RATE', 'info.CHUNKS_FILL_RATE', 'info.CHUNKS_FILL_RATE_RW',"
                     + " 'info.CHUNK_COUNT', 'info.PAGE_COUNT', 'info.PAGE_COUNT_LIVE')")) {
            while (rs.next()) {
                b.append(", ").append(rs.getString(1).substring(5)).append(' ').append(rs.getString(2));
            }
        }
        System.out.println(b);
    }

    private static String h2Size(Path file) throws java.io.IOException {
        return file == null ? "" : String.format("%.1f MiB", Files.size(file) / 1048576.0);
    }

    /**
     * -Dbench.prune=during: retention deletes everything resolved before now while {@code load} stores more, as when
     * the hourly pass meets a storm: what each costs the other, against the measured run before it. Retention yields
     * to storing as in the server, up to -Dbench.pruneYield (default 10s, the server's; 0s: no yield).
     */
    private static void pruneDuring(JdbcStores stores, EventIngestor ingestor, Load load) throws InterruptedException {
        Instant cutoff = Instant.now();
        var retention = new EventRetention(stores.eventStore(), null, Duration.ofHours(1), 500,
                Clock.fixed(cutoff.plus(Duration.ofHours(1)), java.time.ZoneOffset.UTC), ingestor::storingIdleFor,
                Duration.parse("PT" + System.getProperty("bench.pruneYield", "10s")));
        Thread pruner = Thread.ofPlatform().start(() -> timedPrune("prune while storing", retention));
        load.run();
        pruner.join();
    }

    private static void timedPrune(String label, EventRetention retention) {
        long t0 = System.nanoTime();
        Pruned p = retention.prune("t1");
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %d incidents, %d events, %d repeat ids in %.2f s = %.0f events/s, %.0f incidents/s%n",
                label, p.incidents(), p.events(), p.repeats(), secs, p.events() / secs, p.incidents() / secs);
    }

    private static void run(EventIngestor ingestor, UUID source, int events, int senders, int distinct, long seqBase,
                            String label, AtomicLong transactions, AtomicLong committed) throws InterruptedException {
        run(ingestor, source, events, senders, distinct, seqBase, label, transactions, committed, 0);
    }

    /** {@code perSecond}: the events are spread evenly over time at this rate; 0 sends them as fast as they go. */
    private static void run(EventIngestor ingestor, UUID source, int events, int senders, int distinct, long seqBase,
                            String label, AtomicLong transactions, AtomicLong committed, long perSecond)
            throws InterruptedException {
        transactions.set(0);
        committed.set(0);
        AtomicLong next = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        CountDownLatch done = new CountDownLatch(senders);
        long start = System.nanoTime();
        for (int t = 0; t < senders; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    // one sequence shared by all senders, so that the alerts go round in order: each of the distinct
                    // alerts in turn, round after round (see event())
                    for (long i = next.getAndIncrement(); i < events; i = next.getAndIncrement()) {
                        try {
                            if (perSecond > 0) {
                                long due = start + i * 1_000_000_000L / perSecond - System.nanoTime();
                                if (due > 0) {
                                    java.util.concurrent.locks.LockSupport.parkNanos(due);
                                }
                            }
                            ingestor.submit(List.of(event(seqBase + i, distinct, source)), false).durable().join();
                        } catch (RuntimeException e) {
                            failed.incrementAndGet();
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
        }
        done.await();
        double acceptSecs = (System.nanoTime() - start) / 1e9;
        while (ingestor.backlogBytes() > 0) {
            Thread.sleep(5);
        }
        double storeSecs = (System.nanoTime() - start) / 1e9;
        // only accepted events count towards the rates
        System.out.printf("%s: %d events; accepted in %.2f s = %.0f events/s; stored in %.2f s = %.0f events/s;"
                        + " %d store transactions, avg %.1f events; %d failed%n", label, events, acceptSecs,
                (events - failed.get()) / acceptSecs, storeSecs, (events - failed.get()) / storeSecs, transactions.get(),
                committed.get() / (double) Math.max(1, transactions.get()), failed.get());
    }

    /** One alert of the load: {@code distinct} alerts in turn, each resolving every 10th round. */
    static Event event(long n, int distinct, UUID source) {
        int k = (int) (n % distinct);
        String name = NAMES[k % NAMES.length];
        Severity sev = SEVERITIES[k % SEVERITIES.length];
        boolean resolved = (n / distinct + k) % 10 == 9; // each alert resolves every 10th round, then fires again
        Instant now = Instant.now();
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alertname", name);
        labels.put("instance", "host-" + k + ":9100");
        labels.put("job", "node");
        labels.put("namespace", "team-" + (k % 20));
        labels.put("severity", sev.id());
        String raw = "{\"status\":\"" + (resolved ? "resolved" : "firing") + "\",\"labels\":{\"alertname\":\"" + name
                + "\",\"instance\":\"host-" + k + ":9100\",\"job\":\"node\",\"namespace\":\"team-" + (k % 20)
                + "\",\"severity\":\"" + sev.id() + "\"},\"annotations\":{\"summary\":\"" + name + " on host-" + k
                + "\",\"description\":\"value is " + (k % 100) + "% over threshold\"},\"startsAt\":\"2026-11-22T10:00:00Z\","
                + "\"endsAt\":\"0001-01-01T00:00:00Z\",\"generatorURL\":\"http://prometheus:9090/graph?g0.expr=up\"}";
        return new Event(Ids.newId(now), "t1", source, SourceType.ALERTMANAGER, now, now,
                resolved ? EventStatus.RESOLVED : EventStatus.FIRING, sev, sev.id(), name, name + " on host-" + k,
                new Resource("host", "host-" + k + ":9100", "host-" + k), labels,
                String.format("%016x", (long) k * 0x9E3779B97F4A7C15L), "http://prometheus:9090/graph?g0.expr=up",
                raw, null);
    }
}
