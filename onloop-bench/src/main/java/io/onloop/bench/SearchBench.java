package io.onloop.bench;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Page;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * How long the API's first page of events takes over a large store, for each kind of filter, with and without
 * the per-page scan bound ({@link EventQuery#scanLimit()}), alternating in one run.
 *
 * <pre>java -cp $CP io.onloop.bench.SearchBench {h2|pg} [events, 1,000,000] [rounds, 5]</pre>
 *
 * The store is filled directly (one transaction per 5,000 events, no grouping): 10 alert names, 500 hosts,
 * a resolve every 10th, a quarter critical, one event a second back from now. Printed per query: the median of
 * the rounds in ms for each, and what the bounded page found and how far back it searched.
 * {@code -Dbench.keepDatabase=true} leaves the PostgreSQL database behind, to look at plans.
 */
public final class SearchBench {
    private static final String[] NAMES = {"HighCPU", "HighMemory", "DiskFilling", "PodCrashLooping", "TargetDown",
            "HighLatency", "ErrorRateHigh", "NodeNotReady", "CertExpiring", "QueueBacklog"};
    private static final String TENANT = "t1";
    /** onloop.search.max-scanned's default. */
    private static final int SCAN_LIMIT = 20_000;

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "h2";
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        try (ScratchStore scratch = new ScratchStore(db, "search-bench", ";QUERY_CACHE_SIZE=64")) {
            EventStore store = scratch.store();
            fill(store, events);
            scratch.analyze();
            System.out.printf("%s, %,d events, %d rounds, scan bound %,d%n", db, events, rounds,
                    SCAN_LIMIT);
            measure(store, rounds, "no filter", scan -> query(null, null, null, null, scan));
            measure(store, rounds, "text in 10% (\"highcpu\")", scan -> query("highcpu", null, null, null, scan));
            measure(store, rounds, "text in none (\"no such words\")", scan -> query("no such words", null, null, null, scan));
            measure(store, rounds, "label in 0.2% (host=host-7)", scan -> query(null, Map.of("host", "host-7"), null, null, scan));
            measure(store, rounds, "label in 10% (alertname=HighCPU)", scan -> query(null, Map.of("alertname", "HighCPU"), null, null, scan));
            measure(store, rounds, "label in 0.2% + text in none", scan -> query("no such words", Map.of("host", "host-7"), null, null, scan));
            measure(store, rounds, "severity critical (25%)", scan -> query(null, null, Set.of(Severity.CRITICAL), null, scan));
            measure(store, rounds, "status resolved (10%)", scan -> query(null, null, null, Set.of(EventStatus.RESOLVED), scan));
        }
    }

    private static long calls;

    /**
     * Each call's {@code to} is a microsecond later than the last (all events are older): H2 would otherwise hand back
     * its previous result for the same statement and values on an unchanged table, and time nothing.
     */
    private static EventQuery query(String text, Map<String, String> labels, Set<Severity> severities,
                                    Set<EventStatus> statuses, int scan) {
        Instant to = Instant.now().plusSeconds(3600).plusNanos(1000 * ++calls);
        return new EventQuery(TENANT, statuses, severities, null, null, labels, null, to, text, null, 50, null, scan);
    }

    private static void fill(EventStore store, int events) {
        Instant now = Instant.now();
        long t0 = System.nanoTime();
        for (int from = 0; from < events; from += 5000) {
            int start = from;
            store.inTransaction(tx -> {
                for (int i = start; i < Math.min(start + 5000, events); i++) {
                    Instant at = now.minusSeconds(events - i);
                    String name = NAMES[i % NAMES.length];
                    String host = "host-" + (i / NAMES.length) % 500;
                    tx.insertEvent(new Event(Ids.newId(at), TENANT, null, SourceType.ALERTMANAGER, at, at,
                            i % 10 == 9 ? EventStatus.RESOLVED : EventStatus.FIRING,
                            i % 4 == 0 ? Severity.CRITICAL : Severity.HIGH, "warning", name + " on " + host,
                            "summary of " + name + " on " + host, Resource.of("host", host),
                            Map.of("alertname", name, "host", host), name + "/" + host, null, "{}", null));
                }
                return null;
            });
        }
        System.out.printf("filled %,d events in %.1f s%n", events, (System.nanoTime() - t0) / 1e9);
    }

    private static void measure(EventStore store, int rounds, String what, IntFunction<EventQuery> query) {
        long[][] micros = new long[2][rounds];
        Page<Event> bounded = null;
        for (int round = -1; round < rounds; round++) { // round -1 warms up
            for (int b = 0; b < 2; b++) {
                long t0 = System.nanoTime();
                Page<Event> page = store.findEvents(query.apply(b == 0 ? 0 : SCAN_LIMIT));
                long took = (System.nanoTime() - t0) / 1_000;
                if (round >= 0) {
                    micros[b][round] = took;
                }
                if (b == 1) {
                    bounded = page;
                }
            }
        }
        Arrays.sort(micros[0]);
        Arrays.sort(micros[1]);
        double unbounded = micros[0][rounds / 2] / 1000.0;
        double bound = micros[1][rounds / 2] / 1000.0;
        System.out.printf("%-36s unbounded %9.1f ms   bounded %7.1f ms   (%.2fx)   bounded page: %d items%s%n", what,
                unbounded, bound, bound / unbounded, bounded.items().size(),
                bounded.searchedTo() == null ? "" : ", searched back to " + bounded.searchedTo());
    }
}
