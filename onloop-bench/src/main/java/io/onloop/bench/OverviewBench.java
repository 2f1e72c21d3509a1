package io.onloop.bench;

import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.store.Page;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What the console overview's open-incident figures cost the store per refresh during a flood (it refreshes on every
 * live update, at most every 3 s, for as long as the page is open), the two ways, alternating in one run:
 * <ul>
 *   <li>pages: one page of 500 open incidents; past 500, a page of 500 per severity (counts capped at 500);</li>
 *   <li>count: {@code countOpenIncidents} (one GROUP BY) and the ten most severe, a severity at a time.</li>
 * </ul>
 * <pre>java -cp $CP io.onloop.bench.OverviewBench {h2|pg} [open medium incidents, 20,000] [rounds, 9]</pre>
 * The store holds one critical and one high open incident, the flood of open medium ones, and as many resolved; one
 * more medium incident is stored before each read, as in a flood (and so H2 cannot hand back its previous result).
 */
public final class OverviewBench {
    private static final String TENANT = "t1";
    private static final Set<IncidentStatus> OPEN = Set.of(IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED);

    public static void main(String[] args) throws Exception {
        String db = args.length > 0 ? args[0] : "h2";
        int flood = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 9;
        try (ScratchStore scratch = new ScratchStore(db, "overview-bench", "")) {
            EventStore store = scratch.store();
            fill(store, flood);
            scratch.analyze();
            long[][] micros = new long[2][rounds];
            int[] rows = new int[2];
            for (int round = -1; round < rounds; round++) { // round -1 warms up
                for (int way = 0; way < 2; way++) {
                    // as in a flood, the table changed since the last read: H2 would otherwise hand back its last result
                    Incident newer = incident(Severity.MEDIUM, IncidentStatus.OPEN, Instant.now());
                    store.inTransaction(tx -> {
                        tx.insertIncident(newer);
                        return null;
                    });
                    long t0 = System.nanoTime();
                    rows[way] = way == 0 ? pages(store) : count(store);
                    if (round >= 0) {
                        micros[way][round] = (System.nanoTime() - t0) / 1_000;
                    }
                }
            }
            System.out.printf("%s, %,d open medium + 2 open + %,d resolved incidents, median of %d rounds:%n", db, flood,
                    flood, rounds);
            System.out.printf("  pages (5 x 500): %8.1f ms, %,d incidents read%n", median(micros[0]) / 1e3, rows[0]);
            System.out.printf("  count + top 10:  %8.1f ms, %,d incidents read%n", median(micros[1]) / 1e3, rows[1]);
        }
    }

    /** The overview before: one page of open incidents, and one per severity when that did not hold them all. */
    private static int pages(EventStore store) {
        Page<Incident> all = store.findIncidents(open(Set.of(), 500));
        if (all.nextCursor() == null) {
            return all.items().size();
        }
        return all.items().size()
                + Arrays.stream(Severity.values()).mapToInt(s -> store.findIncidents(open(Set.of(s), 500)).items().size()).sum();
    }

    /** The overview now (OverviewStats): the counts, then the most severe ten, highest severity first. */
    private static int count(EventStore store) {
        Map<Severity, Integer> counts = store.countOpenIncidents(TENANT);
        int read = 0;
        for (Severity s : Severity.values()) { // most severe first
            if (read < 10 && counts.get(s) > 0) {
                read += store.findIncidents(open(Set.of(s), 10 - read)).items().size();
            }
        }
        return read;
    }

    private static IncidentQuery open(Set<Severity> severities, int limit) {
        return new IncidentQuery(TENANT, OPEN, severities, null, null, null, null, null, null, limit, null);
    }

    private static void fill(EventStore store, int flood) {
        Instant now = Instant.now();
        store.inTransaction(tx -> {
            tx.insertIncident(incident(Severity.CRITICAL, IncidentStatus.OPEN, now.minusSeconds(2 * flood + 2)));
            tx.insertIncident(incident(Severity.HIGH, IncidentStatus.OPEN, now.minusSeconds(2 * flood + 1)));
            return null;
        });
        for (int from = 0; from < 2 * flood; from += 5000) {
            int start = from;
            store.inTransaction(tx -> {
                for (int i = start; i < Math.min(start + 5000, 2 * flood); i++) {
                    // the older half resolved, the newer half the open flood
                    tx.insertIncident(incident(Severity.MEDIUM, i < flood ? IncidentStatus.RESOLVED : IncidentStatus.OPEN,
                            now.minusSeconds(2L * flood - i)));
                }
                return null;
            });
        }
    }

    private static Incident incident(Severity severity, IncidentStatus status, Instant at) {
        boolean resolved = status == IncidentStatus.RESOLVED;
        return new Incident(UUID.randomUUID(), TENANT, "group-" + UUID.randomUUID(), "incident at " + at, severity, status,
                SourceType.GENERIC, Resource.UNKNOWN, Map.of(), at, at, null, null, resolved ? at : null,
                resolved ? "bench" : null, 1, 1, resolved ? 0 : 1);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
