package io.onloop.testkit.store;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.audit.AuditQuery;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentActions;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.incident.TimelineEntry;
import io.onloop.domain.incident.TimelineEntry.Kind;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.testkit.ingest.InMemoryEventJournal;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.FiringAlert;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.store.Page;
import io.onloop.domain.store.Pruned;
import io.onloop.domain.store.EventRetention;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link EventStore} must do, proved through the real domain logic: grouping runs in
 * {@link EventStore#inTransaction}, people act through {@link IncidentActions}, and ingestion goes
 * through {@link EventIngestor}'s group commit.
 * <p>
 * Stores keep instants at microsecond precision (truncated) and store U+0000 as U+FFFD. Timeline
 * lines that share an instant read back in the order they were written.
 * Every test works in tenants of its own, so {@link #store()} may return one store shared by all
 * tests of a class (a database migrated once).
 */
public abstract class EventStoreContract {
    /** Microseconds on purpose: the stores keep microseconds, and the clock must not be the thing under test. */
    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00.123456Z");
    private static final GroupingPolicy BY_ALERTNAME =
            new GroupingPolicy(List.of("alertname"), Duration.ofMinutes(5), Duration.ofSeconds(30), Duration.ofMinutes(5));

    /** The store under test; empty of the tenants this contract invents (random ids). */
    protected abstract EventStore store();

    protected EventStore store;
    protected String tenant;
    private final IncidentGrouping byFingerprint = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);

    @BeforeEach
    void openStore() {
        store = store();
        tenant = newTenant();
    }

    /**
     * How many rows each of the store's tables holds for the tenant; a store without tables answers an empty map.
     * Retention's tests use it to see that nothing is left behind.
     */
    protected Map<String, Long> rowsPerTable(String tenant) {
        return Map.of();
    }

    /** Gives the incident a recipe, where recipes live beside incidents (a database); otherwise nothing. */
    protected void giveRecipe(String tenant, UUID incidentId) {
    }

    protected static String newTenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 13);
    }

    // ---- helpers ----------------------------------------------------------------------------

    protected static Event event(String tenant, EventStatus status, String fingerprint, Instant at, Map<String, String> labels) {
        return new Event(Ids.newId(at), tenant, null, SourceType.ALERTMANAGER, at, at, status, Severity.HIGH, "warning",
                "alert " + fingerprint, "summary of " + fingerprint, Resource.of("host", "host-" + fingerprint), labels,
                fingerprint, null, "{}", null);
    }

    protected Event firing(String fingerprint, Instant at) {
        return event(tenant, EventStatus.FIRING, fingerprint, at, Map.of("alertname", fingerprint));
    }

    protected Event resolved(String fingerprint, Instant at) {
        return event(tenant, EventStatus.RESOLVED, fingerprint, at, Map.of("alertname", fingerprint));
    }

    protected Event apply(Event e) {
        return apply(byFingerprint, e);
    }

    protected Event apply(IncidentGrouping grouping, Event e) {
        return store.inTransaction(tx -> grouping.apply(tx, e));
    }

    protected Incident incident(UUID id) {
        return store.findIncident(tenant, id).orElseThrow();
    }

    protected List<Kind> kinds(UUID incidentId) {
        return store.timeline(tenant, incidentId).stream().map(TimelineEntry::kind).toList();
    }

    protected List<Incident> incidents() {
        return all(c -> store.findIncidents(new IncidentQuery(tenant, null, null, null, null, null, null, null, null, 500, c)));
    }

    protected List<Event> events(UnaryOperator<EventQuery> filter) {
        EventQuery base = EventQuery.all(tenant, 500);
        return all(c -> {
            EventQuery q = filter.apply(base);
            return store.findEvents(new EventQuery(q.tenantId(), q.statuses(), q.severities(), q.sources(), q.resource(),
                    q.labels(), q.from(), q.to(), q.text(), q.incidentId(), q.limit(), c));
        });
    }

    /** Walks every page; fails on a duplicate, and on a walk of more than 1,000 pages (a cursor that does not move). */
    protected static <T> List<T> all(Function<String, Page<T>> pageAt) {
        List<T> out = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<T> page = pageAt.apply(cursor);
            out.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(++pages).as("pages walked").isLessThanOrEqualTo(1000);
        } while (cursor != null);
        assertThat(new HashSet<>(out)).hasSize(out.size());
        return out;
    }

    protected static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }

    // ---- events -------------------------------------------------------------------------------

    @Test
    void eventRoundTripsWithEveryField() {
        Instant received = T0.plusNanos(789); // below a microsecond: truncated by the store
        String raw = "ünïcødé ☃ 𝄞 ".repeat(5041) + "abc"; // 64 KiB of chars, astral ones included
        assertThat(raw).hasSize(64 * 1024);
        Map<String, String> labels = new HashMap<>();
        labels.put("alertname", "DiskFull");
        labels.put("région", "eu-west-1 ☁");
        labels.put("empty", "");
        labels.put("long", "v".repeat(1024));
        Event e = new Event(Ids.newId(received), tenant, UUID.randomUUID(), SourceType.AZURE_MONITOR, received,
                T0.minusSeconds(30), EventStatus.INFORMATIONAL, Severity.CRITICAL, "Sev0", "Disk full on 東京-1 🚨",
                "The disk is 100% full; \"quotes\" and \\backslashes\\ and 'apostrophes' and \n newlines",
                new Resource("azure", "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm-1", "vm-1"),
                labels, "fp-" + "x".repeat(500), "https://portal.azure.com/#alert?id=1&x=2", raw, null);

        Event stored = apply(e);

        Event expected = new Event(e.id(), tenant, e.sourceId(), e.source(), micros(received), e.occurredAt(), e.status(),
                e.severity(), e.sourceSeverity(), e.title(), e.summary(), e.resource(), labels, e.fingerprint(),
                e.link(), raw, null);
        assertThat(stored.id()).isEqualTo(e.id());
        assertThat(store.findEvent(tenant, e.id())).contains(expected);
    }

    @Test
    void nullCharactersAreStoredAsReplacementCharacters() {
        Event e = new Event(Ids.newId(T0), tenant, null, SourceType.GENERIC, T0, null, EventStatus.INFORMATIONAL,
                Severity.INFO, null, "a\u0000b", null, null, Map.of("k\u0000", "v\u0000"), "fp", null, "x\u0000", null);
        apply(e);
        Event found = store.findEvent(tenant, e.id()).orElseThrow();
        assertThat(found.title()).isEqualTo("a\uFFFDb");
        assertThat(found.rawPayload()).isEqualTo("x\uFFFD");
        assertThat(found.labels()).containsEntry("k\uFFFD", "v\uFFFD");
        assertThat(found.occurredAt()).isEqualTo(T0);
        assertThat(found.resource()).isEqualTo(Resource.UNKNOWN);
        assertThat(found.sourceId()).isNull();
        assertThat(found.link()).isNull();
    }

    // ---- retention ----------------------------------------------------------------------------

    @Test
    void retentionDeletesIncidentsResolvedBeforeTheCutoffWithWhatIsTheirsAndKeepsTheRest() {
        Instant cutoff = T0.plus(Duration.ofDays(1));
        Instant late = T0.plus(Duration.ofDays(2));
        Event oldFiring = apply(firing("old", T0));
        Event oldRepeat = firing("old", T0.plusSeconds(1));
        apply(oldRepeat);
        Event oldResolve = apply(resolved("old", T0.plusSeconds(2)));
        UUID old = oldFiring.incidentId();
        giveRecipe(tenant, old);
        Event openFiring = apply(firing("open", T0));
        Event openRepeat = firing("open", T0.plusSeconds(1));
        apply(openRepeat);
        Event lateFiring = apply(firing("late", T0));
        apply(resolved("late", late));
        giveRecipe(tenant, lateFiring.incidentId());
        Event looseOld = apply(resolved("nothing-open", T0));
        Event looseNew = apply(resolved("nothing-open-either", late));
        assertThat(looseOld.incidentId()).isNull();
        String mine = tenant;
        String other = newTenant();
        tenant = other;
        Event otherTenants = apply(firing("old", T0));
        apply(resolved("old", T0.plusSeconds(2)));
        tenant = mine;
        Map<String, Long> othersRows = rowsPerTable(other);

        Pruned pruned = store.inTransaction(tx -> tx.prune(tenant, cutoff, 100));

        assertThat(pruned).isEqualTo(new Pruned(1, 3, 1));
        assertThat(store.findIncident(tenant, old)).isEmpty();
        assertThat(store.timeline(tenant, old)).isEmpty();
        for (Event gone : List.of(oldFiring, oldRepeat, oldResolve, looseOld)) {
            assertThat(store.findEvent(tenant, gone.id())).as("event %s", gone.title()).isEmpty();
        }
        // an open incident keeps its old events and the ids of their repeats; a recently resolved one keeps all
        assertThat(store.findEvent(tenant, openRepeat.id())).map(Event::id).contains(openFiring.id());
        assertThat(events(q -> withIncident(q, lateFiring.incidentId()))).hasSize(2);
        assertThat(kinds(lateFiring.incidentId())).containsExactly(Kind.OPENED, Kind.ALERT_RESOLVED, Kind.RESOLVED);
        assertThat(events(q -> q)).extracting(Event::id).containsExactlyInAnyOrder(openFiring.id(), lateFiring.id(),
                events(q -> withIncident(q, lateFiring.incidentId())).getFirst().id(), looseNew.id());
        assertThat(events(q -> new EventQuery(q.tenantId(), q.statuses(), q.severities(), q.sources(), q.resource(),
                Map.of("alertname", "old"), q.from(), q.to(), q.text(), null, q.limit(), q.cursor()))).isEmpty();
        assertThat(store.findIncident(other, otherTenants.incidentId())).isPresent();
        assertThat(rowsPerTable(other)).isEqualTo(othersRows);
        // nothing stale is left to group with: the same alert firing again opens a new incident
        Event refired = apply(firing("old", late));
        assertThat(refired.incidentId()).isNotNull().isNotEqualTo(old);
        assertThat(incident(refired.incidentId()).eventCount()).isEqualTo(1);
        Pruned again = store.inTransaction(tx -> tx.prune(tenant, cutoff, 100));
        assertThat(again).isEqualTo(Pruned.NONE);
    }

    @Test
    void retentionGoesOldestFirstInBatchesAndLeavesNoRowBehind() {
        List<UUID> incidents = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // label rows are deleted by their key, read back from the event: long and U+0000 values included
            Event e = apply(event(tenant, EventStatus.FIRING, "fp" + i, T0.plusSeconds(i), Map.of("alertname", "fp" + i,
                    "long", "v".repeat(1024) + i, "nul\u0000", "x\u0000y")));
            apply(event(tenant, EventStatus.FIRING, "fp" + i, T0.plusSeconds(i).plusMillis(500), e.labels())); // a repeat
            apply(resolved("fp" + i, T0.plusSeconds(10 + i)));
            giveRecipe(tenant, e.incidentId());
            incidents.add(e.incidentId());
        }
        Map<String, Long> before = rowsPerTable(tenant);

        Pruned first = store.inTransaction(tx -> tx.prune(tenant, T0.plus(Duration.ofDays(1)), 2));
        assertThat(first).isEqualTo(new Pruned(2, 4, 2));
        assertThat(incidents()).extracting(Incident::id).containsExactlyInAnyOrderElementsOf(incidents.subList(2, 5));

        Instant now = T0.plus(Duration.ofDays(31));
        Pruned rest = new EventRetention(store, Duration.ofDays(30), 2, Clock.fixed(now, ZoneOffset.UTC)).prune(tenant);
        assertThat(rest).isEqualTo(new Pruned(3, 6, 3));
        assertThat(incidents()).isEmpty();
        assertThat(events(q -> q)).isEmpty();
        List<AuditEntry> audit = all(c -> store.auditLog(tenant, 100, c));
        assertThat(audit).extracting(AuditEntry::actor, AuditEntry::action)
                .containsOnly(tuple(EventRetention.ACTOR, "retention.prune")).hasSize(2);
        assertThat(audit).extracting(AuditEntry::detail).anySatisfy(d -> assertThat(d).isEqualTo("deleted 2 incidents"
                + " resolved, 4 events received and 0 finished deliveries made before 2025-03-02T10:00:00.123456Z (kept for 30 days)"));
        // in a database, every table the incidents and events had rows in is empty for the tenant but the audit log
        before.forEach((table, rows) -> {
            if (!table.equals("audit_log")) {
                assertThat(rows).as("rows in %s before", table).isPositive();
            }
        });
        assertThat(rowsPerTable(tenant)).allSatisfy((table, rows) -> assertThat(rows).as("rows left in %s", table)
                .isEqualTo(table.equals("audit_log") ? 2 : 0));
    }

    @Test
    void retentionDeletesAnIncidentWithMoreEventsThanABatchOverSeveralCalls() {
        Instant cutoff = T0.plus(Duration.ofDays(1));
        UUID big = apply(firing("big", T0)).incidentId();
        for (int i = 1; i < 14; i++) { // each a change: stored, not counted as a repeat
            apply(event(tenant, EventStatus.FIRING, "big", T0.plusSeconds(i), Map.of("alertname", "big", "value", "" + i)));
        }
        apply(resolved("big", T0.plusSeconds(14)));
        assertThat(events(q -> withIncident(q, big))).hasSize(15);

        Pruned first = store.inTransaction(tx -> tx.prune(tenant, cutoff, 1)); // at most 10 events
        assertThat(first).isEqualTo(new Pruned(0, Pruned.eventBudget(1), 0));
        assertThat(events(q -> withIncident(q, big))).hasSize(5);
        assertThat(store.findIncident(tenant, big)).isPresent();
        Pruned second = store.inTransaction(tx -> tx.prune(tenant, cutoff, 1));
        assertThat(second).isEqualTo(new Pruned(1, 5, 0));
        assertThat(store.findIncident(tenant, big)).isEmpty();
    }

    @Test
    void aPruneWaitsForAPersonActingOnTheIncidentThenDeletesWhatTheyWrote() throws Exception {
        Event e = apply(firing("busy", T0));
        apply(resolved("busy", T0.plusSeconds(1)));
        // a person's comment, as IncidentActions writes it: the incident locked, a line added
        Held<Object, Pruned> r = secondWaitsForFirst("the prune waits for the person's transaction", tx -> {
            tx.lockIncident(tenant, e.incidentId()).orElseThrow();
            tx.appendTimeline(new TimelineEntry(Ids.newId(T0), tenant, e.incidentId(), T0.plusSeconds(2),
                    Kind.COMMENT, "alice", "looking", null));
            return null;
        }, () -> store.inTransaction(tx -> tx.prune(tenant, T0.plus(Duration.ofDays(1)), 100)));
        // the comment committed first, so it goes with its incident (without the lock: a foreign-key failure)
        assertThat(r.second()).isEqualTo(new Pruned(1, 2, 0));
        assertThat(store.findIncident(tenant, e.incidentId())).isEmpty();
        assertThat(store.timeline(tenant, e.incidentId())).isEmpty();
    }

    @Test
    void aPersonActingOnAnIncidentAPruneHoldsWaitsThenFindsItGone() throws Exception {
        Event e = apply(firing("going", T0));
        apply(resolved("going", T0.plusSeconds(1)));
        IncidentActions actions = new IncidentActions(store, Clock.fixed(T0.plusSeconds(5), ZoneOffset.UTC));
        Held<Pruned, Optional<TimelineEntry>> r = secondWaitsForFirst("the comment waits for the prune's transaction",
                tx -> tx.prune(tenant, T0.plus(Duration.ofDays(1)), 100),
                () -> actions.comment(tenant, e.incidentId(), "alice", "late"));
        assertThat(r.first()).isEqualTo(new Pruned(1, 2, 0));
        assertThat(r.second()).as("what the API answers 404 for").isEmpty();
        assertThat(store.findIncident(tenant, e.incidentId())).isEmpty();
    }

    /** What the two sides of {@link #secondWaitsForFirst} returned. */
    private record Held<A, B>(A first, B second) {
    }

    /**
     * Runs {@code first} in a transaction held open until {@code second}, started once {@code first} is done inside
     * it, has been seen to wait for it ({@code waits} otherwise); then lets both finish.
     */
    private <A, B> Held<A, B> secondWaitsForFirst(String waits, Function<EventStore.Transaction, A> first,
                                                  java.util.concurrent.Callable<B> second) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<A> held = pool.submit(() -> store.inTransaction(tx -> {
                A a = first.apply(tx);
                inside.countDown();
                await(release);
                return a;
            }));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
            Future<B> waiting = pool.submit(second);
            Thread.sleep(200);
            assertThat(waiting.isDone()).as(waits).isFalse();
            release.countDown();
            return new Held<>(held.get(20, TimeUnit.SECONDS), waiting.get(20, TimeUnit.SECONDS));
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    @Test
    void aPruneInATransactionThatFailsDeletesNothing() {
        Event e = apply(firing("kept", T0));
        apply(resolved("kept", T0.plusSeconds(1)));
        UUID open = apply(firing("open", T0)).incidentId();
        Map<String, Long> before = rowsPerTable(tenant);
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.appendTimeline(new TimelineEntry(Ids.newId(T0), tenant, open, T0.plusSeconds(2), Kind.COMMENT,
                    "alice", "written before the prune", null));
            tx.prune(tenant, T0.plus(Duration.ofDays(1)), 100);
            throw new IllegalStateException("fails after the prune");
        })).hasMessageContaining("fails after the prune");
        assertThat(store.findIncident(tenant, e.incidentId())).isPresent();
        assertThat(kinds(e.incidentId())).containsExactly(Kind.OPENED, Kind.ALERT_RESOLVED, Kind.RESOLVED);
        assertThat(kinds(open)).containsExactly(Kind.OPENED);
        assertThat(events(q -> q)).hasSize(3);
        assertThat(rowsPerTable(tenant)).isEqualTo(before);
    }

    @Test
    void repeatedFiringNeverOpensASecondIncident() {
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            stored.add(apply(firing("cpu", T0.plusSeconds(i))));
        }
        assertThat(stored).extracting(Event::incidentId).containsOnly(stored.getFirst().incidentId()).doesNotContainNull();
        Incident incident = incident(stored.getFirst().incidentId());
        assertThat(incident.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident.eventCount()).isEqualTo(10);
        assertThat(incident.alertCount()).isEqualTo(1);
        assertThat(incident.firingCount()).isEqualTo(1);
        assertThat(incident.openedAt()).isEqualTo(T0);
        assertThat(incident.lastEventAt()).isEqualTo(T0.plusSeconds(9));
        assertThat(incidents()).hasSize(1);
        assertThat(kinds(incident.id())).containsExactly(Kind.OPENED); // repeats do not flood the timeline
        assertThat(events(q -> withIncident(q, incident.id()))).singleElement()
                .satisfies(e -> assertThat(e.repeats()).isEqualTo(9));
    }

    @Test
    void unchangedRepeatsAreCountedOnTheEventTheyRepeatAcrossTransactions() {
        List<Event> sequence = repeatSequence("cpu");
        List<Event> stored = sequence.stream().map(this::apply).toList();
        assertRepeatsCounted(sequence, stored);
    }

    @Test
    void unchangedRepeatsAreCountedOnTheEventTheyRepeatWithinOneTransaction() {
        List<Event> sequence = repeatSequence("mem");
        List<Event> stored = store.inTransaction(tx -> sequence.stream().map(e -> byFingerprint.apply(tx, e)).toList());
        assertRepeatsCounted(sequence, stored);
    }

    /** Fires, repeats 4 times, changes its labels, repeats that twice, resolves. */
    private List<Event> repeatSequence(String fp) {
        Map<String, String> changed = Map.of("alertname", fp, "value", "97");
        List<Event> out = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            out.add(firing(fp, T0.plusSeconds(i)));
        }
        for (int i = 5; i <= 7; i++) {
            out.add(event(tenant, EventStatus.FIRING, fp, T0.plusSeconds(i), changed));
        }
        out.add(event(tenant, EventStatus.RESOLVED, fp, T0.plusSeconds(8), changed));
        return out;
    }

    private void assertRepeatsCounted(List<Event> sequence, List<Event> stored) {
        UUID incidentId = stored.getFirst().incidentId();
        assertThat(stored).extracting(Event::incidentId).containsOnly(incidentId);
        assertThat(incident(incidentId).eventCount()).isEqualTo(9); // repeats still count as the incident's events
        assertThat(incident(incidentId).status()).isEqualTo(IncidentStatus.RESOLVED);
        // listed: the first firing, the change and the resolve, each with the repeats that followed it
        List<Event> listed = events(q -> withIncident(q, incidentId));
        assertThat(listed).extracting(Event::id)
                .containsExactly(sequence.get(8).id(), sequence.get(5).id(), sequence.get(0).id());
        assertThat(listed).extracting(Event::repeats).containsExactly(0, 2, 4);
        assertThat(listed).extracting(Event::lastSeenAt)
                .containsExactly(T0.plusSeconds(8), T0.plusSeconds(7), T0.plusSeconds(4));
        // the id its sender was given for a repeat finds the event it repeated, in its tenant only
        assertThat(store.findEvent(tenant, sequence.get(3).id())).map(Event::id).contains(sequence.get(0).id());
        assertThat(store.findEvent(tenant, sequence.get(6).id())).map(Event::repeats).contains(2);
        assertThat(store.findEvent(newTenant(), sequence.get(3).id())).isEmpty();
    }

    @Test
    void repeatsStayCountedAfterAPersonResolvesTheIncident() {
        Event first = apply(firing("db", T0));
        apply(firing("db", T0.plusSeconds(1)));
        apply(firing("db", T0.plusSeconds(2)));
        new IncidentActions(store, Clock.fixed(T0.plusSeconds(3), ZoneOffset.UTC)).resolve(tenant, first.incidentId(), "alice", "fixed");
        assertThat(store.findEvent(tenant, first.id())).map(Event::repeats).contains(2);
        // the next firing opens a new incident with an event of its own
        Event next = apply(firing("db", T0.plusSeconds(4)));
        assertThat(next.incidentId()).isNotEqualTo(first.incidentId());
        assertThat(events(q -> q)).extracting(Event::id, Event::repeats)
                .containsExactly(tuple(next.id(), 0), tuple(first.id(), 2));
    }

    @Test
    void alertsRepeatingInterleavedInOneGroupAreCountedApart() {
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        Map<String, String> labels = Map.of("alertname", "Group");
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String fp = i % 2 == 0 ? "g-a" : "g-b";
            stored.add(apply(grouping, event(tenant, EventStatus.FIRING, fp, T0.plusSeconds(i), labels)));
        }
        UUID incidentId = stored.getFirst().incidentId();
        assertThat(stored).extracting(Event::incidentId).containsOnly(incidentId);
        assertThat(events(q -> withIncident(q, incidentId))).extracting(Event::id, Event::repeats)
                .containsExactly(tuple(stored.get(1).id(), 2), tuple(stored.get(0).id(), 3));
        assertThat(incident(incidentId).eventCount()).isEqualTo(7);
    }

    @Test
    void aNewStartAtTheSourceIsStoredNotCounted() {
        Map<String, String> labels = Map.of("alertname", "flap");
        Event first = event(tenant, EventStatus.FIRING, "flap", T0.plusSeconds(10), labels);
        Event sameStart = event(tenant, EventStatus.FIRING, "flap", T0.plusSeconds(60), labels);
        Event newStart = event(tenant, EventStatus.FIRING, "flap", T0.plusSeconds(120), labels);
        // as a source that says when the alert began: the first two began at T0, the third later
        apply(withOccurredAt(first, T0));
        apply(withOccurredAt(sameStart, T0));
        apply(withOccurredAt(newStart, T0.plusSeconds(100)));
        assertThat(events(q -> q)).extracting(Event::id, Event::repeats)
                .containsExactly(tuple(newStart.id(), 0), tuple(first.id(), 1));
    }

    private static Event withOccurredAt(Event e, Instant occurredAt) {
        return new Event(e.id(), e.tenantId(), e.sourceId(), e.source(), e.receivedAt(), occurredAt, e.status(),
                e.severity(), e.sourceSeverity(), e.title(), e.summary(), e.resource(), e.labels(), e.fingerprint(),
                e.link(), e.rawPayload(), e.incidentId());
    }

    @Test
    void theCountOfAnAlertStillRepeatingIsReadWhileItGrows() {
        Event first = apply(firing("disk", T0));
        apply(firing("disk", T0.plusSeconds(1)));
        assertThat(store.findEvent(tenant, first.id())).map(Event::repeats).contains(1);
        Event last = apply(firing("disk", T0.plusSeconds(2)));
        Event found = store.findEvent(tenant, last.id()).orElseThrow();
        assertThat(found.id()).isEqualTo(first.id());
        assertThat(found.repeats()).isEqualTo(2);
        assertThat(found.lastSeenAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(events(q -> q)).extracting(Event::repeats).containsExactly(2);
    }

    @Test
    void resolveClosesTheIncidentItBelongsTo() {
        UUID id = apply(firing("disk", T0)).incidentId();
        apply(firing("other", T0.plusSeconds(1)));
        Event resolve = apply(resolved("disk", T0.plusSeconds(60)));

        assertThat(resolve.incidentId()).isEqualTo(id);
        Incident incident = incident(id);
        assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incident.resolvedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(incident.resolvedBy()).isEqualTo(IncidentGrouping.SOURCE_ACTOR);
        assertThat(incident.firingCount()).isZero();
        assertThat(incident.eventCount()).isEqualTo(2);
        assertThat(kinds(id)).containsExactly(Kind.OPENED, Kind.ALERT_RESOLVED, Kind.RESOLVED);
        assertThat(store.findEvent(tenant, resolve.id()).orElseThrow().incidentId()).isEqualTo(id);
        assertThat(incidents()).filteredOn(Incident::isOpen).hasSize(1); // "other" is untouched
    }

    @Test
    void aLateResolveOfAnEarlierEpisodeChangesNothingAndIsRecorded() {
        Instant began = T0.plusSeconds(3600);
        // fired at `began` by its sender's clock; then, delivered late or out of order, the resolve of an episode
        // that ended an hour before that one began (SNS keeps no order; Alertmanager retries)
        Event fire = apply(withOccurredAt(firing("db", T0.plusSeconds(4000)), began));
        UUID id = fire.incidentId();
        Event late = apply(withOccurredAt(resolved("db", T0.plusSeconds(4010)), T0.plusSeconds(600)));

        assertThat(late.incidentId()).isEqualTo(id);
        assertThat(late.status()).as("as later stages see it: nothing to notify").isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(store.findEvent(tenant, late.id()).orElseThrow().status()).isEqualTo(EventStatus.RESOLVED);
        Incident incident = incident(id);
        assertThat(incident.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident.firingCount()).isEqualTo(1);
        assertThat(incident.eventCount()).isEqualTo(2);
        assertThat(kinds(id)).containsExactly(Kind.OPENED, Kind.INFO);
        assertThat(store.findEvent(tenant, late.id())).isPresent();

        // the resolve of this episode resolves it; so does one whose sender gave no time
        apply(withOccurredAt(resolved("db", T0.plusSeconds(4100)), began.plusSeconds(90)));
        assertThat(incident(id).status()).isEqualTo(IncidentStatus.RESOLVED);
        UUID second = apply(withOccurredAt(firing("db", T0.plusSeconds(5000)), T0.plusSeconds(4900))).incidentId();
        apply(resolved("db", T0.plusSeconds(5100)));
        assertThat(incident(second).status()).isEqualTo(IncidentStatus.RESOLVED);
    }

    /** As CloudWatch reports alarms: its time is the alarm's state change. */
    private static Event cloudWatch(Event e, Instant stateChanged) {
        return new Event(e.id(), e.tenantId(), e.sourceId(), SourceType.SNS, e.receivedAt(), stateChanged, e.status(),
                e.severity(), e.sourceSeverity(), e.title(), e.summary(), e.resource(), e.labels(), e.fingerprint(),
                e.link(), e.rawPayload(), e.incidentId());
    }

    @Test
    void aLateFiringOfAnEpisodeAlreadyResolvedOpensNoIncident() {
        // fired at +100, resolved at +700 (CloudWatch's clock); then a retry of the firing arrives
        UUID first = apply(cloudWatch(firing("db", T0.plusSeconds(110)), T0.plusSeconds(100))).incidentId();
        apply(cloudWatch(resolved("db", T0.plusSeconds(710)), T0.plusSeconds(700)));
        Event late = apply(cloudWatch(firing("db", T0.plusSeconds(720)), T0.plusSeconds(100)));

        assertThat(late.incidentId()).isNull();
        assertThat(late.status()).as("as later stages see it: nothing to notify").isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(store.findEvent(tenant, late.id()).orElseThrow().status()).isEqualTo(EventStatus.FIRING);
        assertThat(incidents()).singleElement().satisfies(i -> {
            assertThat(i.id()).isEqualTo(first);
            assertThat(i.status()).isEqualTo(IncidentStatus.RESOLVED);
        });
        // a new episode, begun after the end: a new incident, as always
        UUID next = apply(cloudWatch(firing("db", T0.plusSeconds(800)), T0.plusSeconds(790))).incidentId();
        assertThat(incident(next).status()).isEqualTo(IncidentStatus.OPEN);
    }

    @Test
    void aResolveThatOvertookItsFiringKeepsTheFiringFromOpeningAnIncident() {
        // SNS keeps no order: the OK (+700) arrives before the ALARM (+100), e.g. the ALARM's first delivery got a 503
        Event resolve = apply(cloudWatch(resolved("cpu", T0.plusSeconds(710)), T0.plusSeconds(700)));
        Event alarm = apply(cloudWatch(firing("cpu", T0.plusSeconds(720)), T0.plusSeconds(100)));
        assertThat(resolve.incidentId()).isNull();
        assertThat(alarm.incidentId()).isNull();
        assertThat(incidents()).isEmpty();

        // the same within one transaction, as the ingest applier's batches are
        store.inTransaction(tx -> {
            byFingerprint.apply(tx, cloudWatch(resolved("mem", T0.plusSeconds(730)), T0.plusSeconds(700)));
            return byFingerprint.apply(tx, cloudWatch(firing("mem", T0.plusSeconds(731)), T0.plusSeconds(100)));
        });
        assertThat(incidents()).isEmpty();
    }

    @Test
    void aSendersTimeFarAheadOfOnloopsClockOrdersNothing() {
        Instant future = T0.plus(Duration.ofDays(365 * 70));
        // a resolve dated decades ahead must not make every later firing "late"
        apply(cloudWatch(resolved("skew", T0.plusSeconds(10)), future));
        UUID opened = apply(cloudWatch(firing("skew", T0.plusSeconds(20)), T0.plusSeconds(15))).incidentId();
        assertThat(opened).isNotNull();
        // nor a firing dated ahead make every resolve "stale"
        apply(cloudWatch(firing("ahead", T0.plusSeconds(30)), future));
        apply(cloudWatch(resolved("ahead", T0.plusSeconds(40)), T0.plusSeconds(35)));
        assertThat(incidents()).filteredOn(i -> i.title().equals("alert ahead")).singleElement()
                .satisfies(i -> assertThat(i.status()).isEqualTo(IncidentStatus.RESOLVED));
    }

    @Test
    void retentionForgetsEpisodeEndsFromBeforeTheCutoff() {
        apply(cloudWatch(resolved("gone", T0.plusSeconds(10)), T0));
        store.inTransaction(tx -> tx.prune(tenant, T0.minusSeconds(5), 100));
        Optional<Instant> kept = store.inTransaction(tx -> tx.episodeEnded(tenant, "gone"));
        assertThat(kept).contains(T0);
        store.inTransaction(tx -> tx.prune(tenant, T0.plusSeconds(60), 100));
        Optional<Instant> forgotten = store.inTransaction(tx -> tx.episodeEnded(tenant, "gone"));
        assertThat(forgotten).isEmpty();
    }

    @Test
    void anOlderFiringOfAnAlertFiringNowChangesNothingSoItsStaleResolveClosesNothing() {
        // any sender: ALARM at +600, then (late) an ALARM of +0 and the OK of +300 that ended that older episode
        for (boolean cloudWatch : new boolean[]{true, false}) {
            String fp = cloudWatch ? "reordered-cw" : "reordered-am";
            java.util.function.BiFunction<Event, Instant, Event> at = cloudWatch ? EventStoreContract::cloudWatch
                    : EventStoreContract::withOccurredAt;
            UUID id = apply(at.apply(firing(fp, T0.plusSeconds(610)), T0.plusSeconds(600))).incidentId();
            Event older = apply(at.apply(firing(fp, T0.plusSeconds(620)), T0));
            apply(at.apply(resolved(fp, T0.plusSeconds(630)), T0.plusSeconds(300)));

            assertThat(older.incidentId()).isEqualTo(id);
            assertThat(older.status()).isEqualTo(EventStatus.INFORMATIONAL);
            assertThat(incident(id).status()).as(fp).isEqualTo(IncidentStatus.OPEN);
            assertThat(incident(id).firingCount()).isEqualTo(1);
            assertThat(kinds(id)).containsExactly(Kind.OPENED, Kind.INFO, Kind.INFO);
        }
    }

    @Test
    void anAlertmanagerAlertFiringAgainWithItsOldStartAfterItsResolveOpensAnIncident() {
        // Alertmanager resolves an alert after its resolve_timeout (Prometheus away); back, Prometheus reports it
        // again with the same startsAt: it is firing, whatever its start says
        Instant began = T0.plusSeconds(100);
        apply(withOccurredAt(firing("am", T0.plusSeconds(110)), began));
        apply(withOccurredAt(resolved("am", T0.plusSeconds(700)), T0.plusSeconds(690)));
        UUID again = apply(withOccurredAt(firing("am", T0.plusSeconds(900)), began)).incidentId();
        assertThat(again).isNotNull();
        assertThat(incident(again).status()).isEqualTo(IncidentStatus.OPEN);
    }

    @Test
    void resolveWithNothingOpenIsRecordedAndOpensNothing() {
        Event stored = apply(resolved("never-fired", T0));
        assertThat(stored.incidentId()).isNull();
        assertThat(store.findEvent(tenant, stored.id()).orElseThrow().status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(incidents()).isEmpty();
        // and a later firing still opens a normal incident
        assertThat(incident(apply(firing("never-fired", T0.plusSeconds(1))).incidentId()).status())
                .isEqualTo(IncidentStatus.OPEN);
    }

    @Test
    void informationalEventsNeverOpenIncidentsButJoinAnOpenOne() {
        Event info = apply(event(tenant, EventStatus.INFORMATIONAL, "deploy", T0, Map.of()));
        assertThat(info.incidentId()).isNull();
        assertThat(incidents()).isEmpty();

        UUID id = apply(firing("deploy", T0.plusSeconds(1))).incidentId();
        Event attached = apply(event(tenant, EventStatus.INFORMATIONAL, "deploy", T0.plusSeconds(2), Map.of()));
        assertThat(attached.incidentId()).isEqualTo(id);
        assertThat(incident(id).eventCount()).isEqualTo(2);
        assertThat(incident(id).firingCount()).isEqualTo(1);
        assertThat(kinds(id)).containsExactly(Kind.OPENED, Kind.INFO);
    }

    @Test
    void groupByLabelsGroupFingerprintsWithinTheWindowOnly() {
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        Event a = apply(grouping, event(tenant, EventStatus.FIRING, "fp-a", T0, Map.of("alertname", "HighLatency", "pod", "a")));
        Event b = apply(grouping, event(tenant, EventStatus.FIRING, "fp-b", T0.plusSeconds(60), Map.of("alertname", "HighLatency", "pod", "b")));
        Event other = apply(grouping, event(tenant, EventStatus.FIRING, "fp-c", T0.plusSeconds(61), Map.of("alertname", "DiskFull")));
        // 5 minutes after the group's last event: a new incident for the same group
        Event late = apply(grouping, event(tenant, EventStatus.FIRING, "fp-d", T0.plusSeconds(60 + 301), Map.of("alertname", "HighLatency")));
        Event afterLate = apply(grouping, event(tenant, EventStatus.FIRING, "fp-e", T0.plusSeconds(60 + 302), Map.of("alertname", "HighLatency")));

        assertThat(b.incidentId()).isEqualTo(a.incidentId());
        assertThat(other.incidentId()).isNotEqualTo(a.incidentId());
        assertThat(late.incidentId()).isNotIn(a.incidentId(), other.incidentId());
        assertThat(afterLate.incidentId()).isEqualTo(late.incidentId()); // joins the newest group incident
        Incident grouped = incident(a.incidentId());
        assertThat(grouped.groupKey()).isEqualTo("{alertname=\"HighLatency\"}");
        assertThat(grouped.labels()).isEqualTo(Map.of("alertname", "HighLatency"));
        assertThat(grouped.alertCount()).isEqualTo(2);
        assertThat(grouped.firingCount()).isEqualTo(2);
        assertThat(kinds(a.incidentId())).containsExactly(Kind.OPENED, Kind.ALERT_ADDED);
        assertThat(incidents()).hasSize(3);
    }

    @Test
    void anIncidentOfOneAlertIsTitledAsItFiresNowAndOneOfSeveralKeepsItsFirstTitle() {
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        Map<String, String> disk = Map.of("alertname", "DiskFilling");
        UUID one = apply(grouping, titled("disk", T0, "disk reaches its limit in about 4.0h", disk)).incidentId();
        apply(grouping, titled("disk", T0.plusSeconds(60), "disk reaches its limit in about 20m", disk));
        assertThat(incident(one).title()).isEqualTo("disk reaches its limit in about 20m");
        assertThat(all(c -> store.findIncidents(new IncidentQuery(tenant, null, null, null, null, null, null, null, "20m",
                500, c)))).extracting(Incident::id).as("searched by the title it has now").containsExactly(one);

        Map<String, String> crash = Map.of("alertname", "PodCrash");
        UUID several = apply(grouping, titled("pod-1", T0, "pod-1 crash-looping", crash)).incidentId();
        apply(grouping, titled("pod-2", T0.plusSeconds(1), "pod-2 crash-looping", crash));
        apply(grouping, titled("pod-1", T0.plusSeconds(2), "pod-1 crash-looping again", crash));
        assertThat(incident(several).title()).isEqualTo("pod-1 crash-looping");
    }

    private Event titled(String fingerprint, Instant at, String title, Map<String, String> labels) {
        return new Event(Ids.newId(at), tenant, null, SourceType.ALERTMANAGER, at, at, EventStatus.FIRING, Severity.HIGH,
                "warning", title, "summary of " + fingerprint, Resource.of("host", "host-" + fingerprint), labels,
                fingerprint, null, "{}", null);
    }

    @Test
    void anIncidentWithTwoAlertsResolvesOnlyWhenBothResolved() {
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        Map<String, String> labels = Map.of("alertname", "PodCrash");
        UUID id = apply(grouping, event(tenant, EventStatus.FIRING, "pod-1", T0, labels)).incidentId();
        apply(grouping, event(tenant, EventStatus.FIRING, "pod-2", T0.plusSeconds(1), labels));

        apply(grouping, event(tenant, EventStatus.RESOLVED, "pod-1", T0.plusSeconds(2), labels));
        assertThat(incident(id).status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident(id).firingCount()).isEqualTo(1);

        // a resolved alert that fires again within the open incident is "refired", not a new incident
        assertThat(apply(grouping, event(tenant, EventStatus.FIRING, "pod-1", T0.plusSeconds(3), labels)).incidentId()).isEqualTo(id);
        assertThat(incident(id).firingCount()).isEqualTo(2);
        apply(grouping, event(tenant, EventStatus.RESOLVED, "pod-1", T0.plusSeconds(4), labels));
        apply(grouping, event(tenant, EventStatus.RESOLVED, "pod-2", T0.plusSeconds(5), labels));

        Incident done = incident(id);
        assertThat(done.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(done.alertCount()).isEqualTo(2);
        assertThat(done.firingCount()).isZero();
        assertThat(done.eventCount()).isEqualTo(6);
        assertThat(kinds(id)).containsExactly(Kind.OPENED, Kind.ALERT_ADDED, Kind.ALERT_RESOLVED, Kind.ALERT_REFIRED,
                Kind.ALERT_RESOLVED, Kind.ALERT_RESOLVED, Kind.RESOLVED);
    }

    @Test
    void oneTransactionGroupsManyEventsAsSeparateTransactionsWould() {
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        Map<String, String> labels = Map.of("alertname", "Batch");
        List<Event> batch = List.of(
                event(tenant, EventStatus.FIRING, "a", T0, labels),
                event(tenant, EventStatus.FIRING, "b", T0.plusSeconds(1), labels),
                event(tenant, EventStatus.FIRING, "a", T0.plusSeconds(2), labels),
                event(tenant, EventStatus.FIRING, "c", T0.plusSeconds(3), labels),
                event(tenant, EventStatus.RESOLVED, "a", T0.plusSeconds(4), labels),
                event(tenant, EventStatus.RESOLVED, "b", T0.plusSeconds(5), labels),
                event(tenant, EventStatus.RESOLVED, "c", T0.plusSeconds(6), labels), // the incident resolves
                event(tenant, EventStatus.FIRING, "b", T0.plusSeconds(7), labels),   // a new one opens
                event(tenant, EventStatus.FIRING, "a", T0.plusSeconds(8), labels));
        List<Event> stored = store.inTransaction(tx -> batch.stream().map(e -> grouping.apply(tx, e)).toList());

        UUID first = stored.getFirst().incidentId();
        UUID second = stored.get(7).incidentId();
        assertThat(stored.subList(0, 7)).extracting(Event::incidentId).containsOnly(first);
        assertThat(second).isNotEqualTo(first);
        assertThat(stored.get(8).incidentId()).isEqualTo(second);
        Incident one = incident(first);
        assertThat(one.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(List.of(one.eventCount(), one.alertCount(), one.firingCount())).containsExactly(7, 3, 0);
        Incident two = incident(second);
        assertThat(two.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(List.of(two.eventCount(), two.alertCount(), two.firingCount())).containsExactly(2, 2, 2);
        assertThat(kinds(first)).containsExactly(Kind.OPENED, Kind.ALERT_ADDED, Kind.ALERT_ADDED, Kind.ALERT_RESOLVED,
                Kind.ALERT_RESOLVED, Kind.ALERT_RESOLVED, Kind.RESOLVED);
        assertThat(kinds(second)).containsExactly(Kind.OPENED, Kind.ALERT_ADDED);
        // and the next transaction sees the same picture
        assertThat(apply(grouping, event(tenant, EventStatus.FIRING, "c", T0.plusSeconds(9), labels)).incidentId()).isEqualTo(second);
        assertThat(apply(grouping, event(tenant, EventStatus.RESOLVED, "a", T0.plusSeconds(10), labels)).incidentId()).isEqualTo(second);
        // an alert committed earlier resolves and fires again within one transaction
        store.inTransaction(tx -> List.of(
                grouping.apply(tx, event(tenant, EventStatus.RESOLVED, "b", T0.plusSeconds(11), labels)),
                grouping.apply(tx, event(tenant, EventStatus.FIRING, "b", T0.plusSeconds(12), labels))));
        assertThat(incident(second).firingCount()).isEqualTo(2); // b and c
        assertThat(kinds(second)).endsWith(Kind.ALERT_ADDED, Kind.ALERT_RESOLVED, Kind.ALERT_RESOLVED, Kind.ALERT_REFIRED);
    }

    @Test
    void afterResolveANewFiringOpensANewIncident() {
        UUID first = apply(firing("flappy", T0)).incidentId();
        apply(resolved("flappy", T0.plusSeconds(1)));
        UUID second = apply(firing("flappy", T0.plusSeconds(2))).incidentId();

        assertThat(second).isNotEqualTo(first);
        assertThat(incident(first).status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incident(second).status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident(second).eventCount()).isEqualTo(1);
        // and the next repeat goes to the new one
        assertThat(apply(firing("flappy", T0.plusSeconds(3))).incidentId()).isEqualTo(second);
    }

    @Test
    void peopleActOnIncidentsThroughTimelineAndAudit() {
        UUID id = apply(firing("db", T0)).incidentId();
        Clock clock = Clock.fixed(T0.plusSeconds(120), ZoneOffset.UTC);
        IncidentActions actions = new IncidentActions(store, clock);

        Incident acked = actions.acknowledge(tenant, id, "alice").orElseThrow();
        assertThat(acked.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
        assertThatThrownBy(() -> actions.acknowledge(tenant, id, "bob")).isInstanceOf(IllegalStateException.class);
        assertThat(actions.comment(tenant, id, "bob", "looking at the replica")).isPresent();
        Incident done = actions.resolve(tenant, id, "alice", "failed over").orElseThrow();

        Incident stored = incident(id);
        assertThat(stored).isEqualTo(done);
        assertThat(stored.acknowledgedBy()).isEqualTo("alice");
        assertThat(stored.acknowledgedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(stored.resolvedBy()).isEqualTo("alice");
        assertThat(store.timeline(tenant, id)).extracting(TimelineEntry::kind, TimelineEntry::actor, TimelineEntry::text)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Kind.OPENED, "source", "alert db"),
                        org.assertj.core.groups.Tuple.tuple(Kind.ACKNOWLEDGED, "alice", "Acknowledged"),
                        org.assertj.core.groups.Tuple.tuple(Kind.COMMENT, "bob", "looking at the replica"),
                        org.assertj.core.groups.Tuple.tuple(Kind.RESOLVED, "alice", "Resolved: failed over"));
        List<AuditEntry> audit = store.auditLog(tenant, 10, null).items();
        assertThat(audit).extracting(AuditEntry::action).containsExactlyInAnyOrder(
                "incident.acknowledge", "incident.comment", "incident.resolve");
        assertThat(audit).allSatisfy(a -> {
            assertThat(a.targetType()).isEqualTo("incident");
            assertThat(a.targetId()).isEqualTo(id.toString());
            assertThat(a.tenantId()).isEqualTo(tenant);
        });
        assertThatThrownBy(() -> actions.resolve(tenant, id, "alice", null)).isInstanceOf(IllegalStateException.class);
        assertThat(actions.acknowledge(tenant, UUID.randomUUID(), "alice")).isEmpty();
        assertThat(store.auditLog(tenant, 10, null).items()).hasSize(3); // failed actions audit nothing
    }

    @Test
    void aTransactionThatThrowsLeavesNothingBehind() {
        UUID id = apply(firing("kept", T0)).incidentId();
        Incident before = incident(id);
        List<TimelineEntry> timelineBefore = store.timeline(tenant, id);
        Event doomed = firing("doomed", T0.plusSeconds(1));

        assertThatThrownBy(() -> store.inTransaction(tx -> {
            byFingerprint.apply(tx, doomed);                               // new incident, event, alert, timeline
            byFingerprint.apply(tx, firing("kept", T0.plusSeconds(2)));    // updates the existing incident
            byFingerprint.apply(tx, resolved("kept", T0.plusSeconds(3)));  // resolves it
            tx.appendAudit(new AuditEntry(Ids.newId(T0), tenant, T0, "x", "test.doomed", "", "", ""));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store.findEvent(tenant, doomed.id())).isEmpty();
        assertThat(events(q -> q)).hasSize(1);
        assertThat(incidents()).containsExactly(before);
        assertThat(store.timeline(tenant, id)).isEqualTo(timelineBefore);
        assertThat(store.auditLog(tenant, 10, null).items()).isEmpty();
        // the alert state rolled back too: "kept" is still firing, "doomed" is unknown
        assertThat(apply(firing("kept", T0.plusSeconds(4))).incidentId()).isEqualTo(id);
        assertThat(incident(id).firingCount()).isEqualTo(1);
        assertThat(apply(resolved("doomed", T0.plusSeconds(5))).incidentId()).isNull();
    }

    @Test
    void aDuplicateEventIdFailsItsTransaction() {
        Event e = apply(firing("dup", T0));
        Event again = new Event(e.id(), tenant, null, SourceType.GENERIC, T0.plusSeconds(1), null, EventStatus.FIRING,
                Severity.LOW, null, "again", null, null, null, "dup", null, null, null);
        assertThatThrownBy(() -> apply(again)).isInstanceOf(RuntimeException.class);
        assertThat(incident(e.incidentId()).eventCount()).isEqualTo(1);
        assertThat(events(q -> q)).hasSize(1);
    }

    @Test
    void tenantsNeverSeeEachOther() {
        String other = newTenant();
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        Event a = apply(grouping, event(tenant, EventStatus.FIRING, "shared-fp", T0, Map.of("alertname", "Same")));
        new IncidentActions(store, Clock.fixed(T0, ZoneOffset.UTC)).comment(tenant, a.incidentId(), "alice", "mine");

        // the same fingerprint and group key in another tenant open that tenant's own incident
        Event b = apply(grouping, event(other, EventStatus.FIRING, "shared-fp", T0.plusSeconds(1), Map.of("alertname", "Same")));
        assertThat(b.incidentId()).isNotEqualTo(a.incidentId());
        Event b2 = apply(grouping, event(other, EventStatus.FIRING, "fp-2", T0.plusSeconds(2), Map.of("alertname", "Same")));
        assertThat(b2.incidentId()).isEqualTo(b.incidentId());
        // a resolve in B does not touch A
        apply(grouping, event(other, EventStatus.RESOLVED, "shared-fp", T0.plusSeconds(3), Map.of("alertname", "Same")));
        assertThat(incident(a.incidentId()).firingCount()).isEqualTo(1);

        assertThat(store.findEvent(other, a.id())).isEmpty();
        assertThat(store.findIncident(other, a.incidentId())).isEmpty();
        assertThat(store.timeline(other, a.incidentId())).isEmpty();
        assertThat(store.auditLog(other, 100, null).items()).isEmpty();
        assertThat(store.findEvents(EventQuery.all(other, 500)).items()).extracting(Event::tenantId).containsOnly(other);
        assertThat(store.findEvents(new EventQuery(other, null, null, null, null, null, null, null, null, a.incidentId(), 500, null)).items()).isEmpty();
        assertThat(store.findIncidents(IncidentQuery.all(other, 500)).items()).extracting(Incident::tenantId).containsOnly(other);
        assertThat(store.findEvents(new EventQuery(other, null, null, null, null, Map.of("alertname", "Same"), null, null, null, null, 500, null)).items())
                .extracting(Event::tenantId).containsOnly(other);
        IncidentActions actions = new IncidentActions(store, Clock.fixed(T0, ZoneOffset.UTC));
        assertThat(actions.acknowledge(other, a.incidentId(), "mallory")).isEmpty();
        assertThat(actions.comment(other, a.incidentId(), "mallory", "x")).isEmpty();
        assertThat(incident(a.incidentId()).status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(store.timeline(tenant, a.incidentId())).extracting(TimelineEntry::kind).containsExactly(Kind.OPENED, Kind.COMMENT);
    }

    // ---- queries ------------------------------------------------------------------------------

    private static EventQuery withIncident(EventQuery q, UUID id) {
        return new EventQuery(q.tenantId(), q.statuses(), q.severities(), q.sources(), q.resource(), q.labels(), q.from(),
                q.to(), q.text(), id, q.limit(), q.cursor());
    }

    @Test
    void everyEventFilterSelectsExactlyItsEvents() {
        Event disk = apply(new Event(Ids.newId(T0), tenant, null, SourceType.SNS, T0, null, EventStatus.FIRING,
                Severity.CRITICAL, null, "Disk FULL on db-1", "volume /data", new Resource("aws", "arn:aws:ec2:eu:1:volume/vol-1", "vol-1"),
                Map.of("env", "prod", "team", "storage"), "disk", null, "{}", null));
        Event cpu = apply(new Event(Ids.newId(T0.plusSeconds(10)), tenant, null, SourceType.ALERTMANAGER, T0.plusSeconds(10), null,
                EventStatus.FIRING, Severity.LOW, null, "CPU high", "load 100% on web_1", new Resource("kubernetes", "default/Pod/web-1", "web-1"),
                Map.of("env", "staging", "team", "web"), "cpu", null, "{}", null));
        Event ok = apply(new Event(Ids.newId(T0.plusSeconds(20)), tenant, null, SourceType.SNS, T0.plusSeconds(20), null,
                EventStatus.RESOLVED, Severity.CRITICAL, null, "Disk ok", "", new Resource("aws", "arn:aws:ec2:eu:1:volume/vol-1", "vol-1"),
                Map.of("env", "prod"), "disk", null, "{}", null));
        Event info = apply(new Event(Ids.newId(T0.plusSeconds(30)), tenant, null, SourceType.KUBERNETES, T0.plusSeconds(30), null,
                EventStatus.INFORMATIONAL, Severity.INFO, null, "Pulled image", "100% done on webx1", Resource.UNKNOWN,
                Map.of("env", "prod", "team", "web"), "pull", null, "{}", null));

        assertThat(ids(q -> q)).containsExactly(info.id(), ok.id(), cpu.id(), disk.id());
        assertThat(ids(q -> q(q, "statuses", Set.of(EventStatus.RESOLVED, EventStatus.INFORMATIONAL)))).containsExactly(info.id(), ok.id());
        assertThat(ids(q -> q(q, "severities", Set.of(Severity.CRITICAL)))).containsExactly(ok.id(), disk.id());
        assertThat(ids(q -> q(q, "sources", Set.of(SourceType.ALERTMANAGER, SourceType.KUBERNETES)))).containsExactly(info.id(), cpu.id());
        assertThat(ids(q -> q(q, "resource", "arn:aws:ec2:eu:1:volume/vol-1"))).containsExactly(ok.id(), disk.id());
        assertThat(ids(q -> q(q, "resource", "web-1"))).containsExactly(cpu.id());
        assertThat(ids(q -> q(q, "labels", Map.of("env", "prod")))).containsExactly(info.id(), ok.id(), disk.id());
        assertThat(ids(q -> q(q, "labels", Map.of("env", "prod", "team", "web")))).containsExactly(info.id());
        assertThat(ids(q -> q(q, "labels", Map.of("env", "nope")))).isEmpty();
        assertThat(ids(q -> q(q, "from", T0.plusSeconds(10)))).containsExactly(info.id(), ok.id(), cpu.id());
        assertThat(ids(q -> q(q(q, "from", T0.plusSeconds(10)), "to", T0.plusSeconds(30)))).containsExactly(ok.id(), cpu.id());
        assertThat(ids(q -> q(q, "text", "disk"))).containsExactly(ok.id(), disk.id());   // case-insensitive, title
        assertThat(ids(q -> q(q, "text", "VOLUME"))).containsExactly(disk.id());           // summary
        assertThat(ids(q -> q(q, "text", "100%"))).containsExactly(info.id(), cpu.id());   // % is literal
        assertThat(ids(q -> q(q, "text", "web_1"))).containsExactly(cpu.id());             // _ is literal
        assertThat(ids(q -> withIncident(q, disk.incidentId()))).containsExactly(ok.id(), disk.id());
        assertThat(ids(q -> q(q(q, "severities", Set.of(Severity.CRITICAL)), "statuses", Set.of(EventStatus.FIRING)))).containsExactly(disk.id());
    }

    @Test
    void labelFiltersMatchLongValuesExactly() {
        String longValue = "é".repeat(1000) + "A";
        Event a = apply(event(tenant, EventStatus.INFORMATIONAL, "a", T0, Map.of("k", longValue)));
        apply(event(tenant, EventStatus.INFORMATIONAL, "b", T0.plusSeconds(1), Map.of("k", "é".repeat(1000) + "B")));
        assertThat(ids(q -> q(q, "labels", Map.of("k", longValue)))).containsExactly(a.id());
    }

    @Test
    void labelFiltersMatchOnlyTheWholeLabelWhateverItsCharacters() {
        Event plain = apply(event(tenant, EventStatus.INFORMATIONAL, "a", T0, Map.of("k", "v")));
        Event longer = apply(event(tenant, EventStatus.INFORMATIONAL, "b", T0.plusSeconds(1), Map.of("k", "v2", "kk", "v")));
        // a value that spells another label in JSON, and values with LIKE wildcards and JSON escapes
        Event tricky = apply(event(tenant, EventStatus.INFORMATIONAL, "c", T0.plusSeconds(2),
                Map.of("x", "1\",\"k\":\"v", "pct", "100%", "under", "a_b", "slash", "c:\\tmp\\", "quote", "say \"hi\"",
                        "brace", "},{\"k\":\"v\",", "nul", "a\u0000b", "sp", " lead and trail ")));
        assertThat(ids(q -> q(q, "labels", Map.of("k", "v")))).containsExactly(plain.id());
        assertThat(ids(q -> q(q, "labels", Map.of("kk", "v")))).containsExactly(longer.id());
        assertThat(ids(q -> q(q, "labels", Map.of("k", "v2")))).containsExactly(longer.id());
        assertThat(ids(q -> q(q, "labels", Map.of("pct", "100%")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("pct", "100")))).isEmpty();
        assertThat(ids(q -> q(q, "labels", Map.of("under", "a_b")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("under", "aXb")))).isEmpty();
        assertThat(ids(q -> q(q, "labels", Map.of("slash", "c:\\tmp\\")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("quote", "say \"hi\"")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("x", "1\",\"k\":\"v")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("brace", "},{\"k\":\"v\",")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("sp", " lead and trail ")))).containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("sp", "lead and trail")))).as("spaces are part of the value").isEmpty();
        assertThat(ids(q -> q(q, "labels", Map.of("nul", "a\u0000b")))).as("stored with U+FFFD for NUL").containsExactly(tricky.id());
        assertThat(ids(q -> q(q, "labels", Map.of("k", "v", "kk", "v")))).as("every label given").isEmpty();
        assertThat(ids(q -> q(q, "labels", Map.of("k", "v2", "kk", "v")))).containsExactly(longer.id());
        assertThat(ids(q -> q(q, "labels", Map.of("K", "v")))).as("names are case-sensitive").isEmpty();
    }

    @Test
    void everyIncidentFilterSelectsExactlyItsIncidents() {
        IncidentGrouping grouping = new IncidentGrouping(BY_ALERTNAME);
        UUID disk = apply(grouping, new Event(Ids.newId(T0), tenant, null, SourceType.SNS, T0, null, EventStatus.FIRING,
                Severity.CRITICAL, null, "Disk full", "", new Resource("aws", "arn:aws:ec2:eu:1:volume/vol-1", "vol-1"),
                Map.of("alertname", "Disk", "env", "prod"), "disk", null, "{}", null)).incidentId();
        UUID cpu = apply(new Event(Ids.newId(T0.plusSeconds(10)), tenant, null, SourceType.ALERTMANAGER, T0.plusSeconds(10), null,
                EventStatus.FIRING, Severity.LOW, null, "CPU high", "", new Resource("kubernetes", "default/Pod/web-1", "web-1"),
                Map.of("alertname", "Cpu", "env", "staging"), "cpu", null, "{}", null)).incidentId();
        UUID mem = apply(new Event(Ids.newId(T0.plusSeconds(20)), tenant, null, SourceType.ALERTMANAGER, T0.plusSeconds(20), null,
                EventStatus.FIRING, Severity.MEDIUM, null, "Memory leak", "", Resource.UNKNOWN,
                Map.of("alertname", "Mem", "env", "prod"), "mem", null, "{}", null)).incidentId();
        apply(resolved("mem", T0.plusSeconds(21)));
        new IncidentActions(store, Clock.fixed(T0.plusSeconds(30), ZoneOffset.UTC)).acknowledge(tenant, cpu, "alice");

        assertThat(incidentIds(q -> q)).containsExactly(mem, cpu, disk);
        assertThat(incidentIds(q -> iq(q, "statuses", Set.of(IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED)))).containsExactly(cpu, disk);
        assertThat(incidentIds(q -> iq(q, "statuses", Set.of(IncidentStatus.RESOLVED)))).containsExactly(mem);
        assertThat(incidentIds(q -> iq(q, "severities", Set.of(Severity.CRITICAL, Severity.MEDIUM)))).containsExactly(mem, disk);
        assertThat(incidentIds(q -> iq(q, "sources", Set.of(SourceType.SNS)))).containsExactly(disk);
        assertThat(incidentIds(q -> iq(q, "resource", "vol-1"))).containsExactly(disk);
        assertThat(incidentIds(q -> iq(q, "resource", "default/Pod/web-1"))).containsExactly(cpu);
        assertThat(incidentIds(q -> iq(q, "labels", Map.of("alertname", "Disk")))).containsExactly(disk); // group labels
        assertThat(incidentIds(q -> iq(q, "labels", Map.of("env", "prod")))).containsExactly(mem);       // first event's labels
        assertThat(incidentIds(q -> iq(q, "from", T0.plusSeconds(10)))).containsExactly(mem, cpu);
        assertThat(incidentIds(q -> iq(iq(q, "from", T0), "to", T0.plusSeconds(20)))).containsExactly(cpu, disk);
        assertThat(incidentIds(q -> iq(q, "text", "LEAK"))).containsExactly(mem);
        // open and acknowledged are counted, resolved not; every severity is there; another tenant's are not
        assertThat(store.countOpenIncidents(tenant)).containsExactlyInAnyOrderEntriesOf(Map.of(Severity.CRITICAL, 1,
                Severity.HIGH, 0, Severity.MEDIUM, 0, Severity.LOW, 1, Severity.INFO, 0));
        assertThat(store.countOpenIncidents(newTenant())).hasSize(Severity.values().length).containsOnlyKeys(Severity.values())
                .allSatisfy((severity, count) -> assertThat(count).isZero());
    }

    @Test
    void firingAlertsAreThoseStillFiringInOpenIncidentsWithTheEventThatStartedThem() {
        java.util.function.BiFunction<String, Instant, Event> watcher = (fp, occurred) -> new Event(Ids.newId(T0.plusSeconds(60)),
                tenant, null, SourceType.ONLOOP, T0.plusSeconds(60), occurred, EventStatus.FIRING, Severity.HIGH, null,
                "Anomaly in " + fp, "", Resource.UNKNOWN, Map.of("watch", "cpu", "series", fp), fp, null, "{}", null);
        Event started = apply(watcher.apply("onloop-a", T0));
        apply(watcher.apply("onloop-a", T0)); // an unchanged repeat: counted on the event that started it
        UUID acked = apply(watcher.apply("onloop-acked", T0.plusSeconds(5))).incidentId();
        new IncidentActions(store, Clock.fixed(T0.plusSeconds(70), ZoneOffset.UTC)).acknowledge(tenant, acked, "alice");
        apply(watcher.apply("onloop-no-time", null)); // no time of its own: when it was seen
        apply(watcher.apply("onloop-over", T0));
        apply(new Event(Ids.newId(T0.plusSeconds(61)), tenant, null, SourceType.ONLOOP, T0.plusSeconds(61), T0.plusSeconds(61),
                EventStatus.RESOLVED, Severity.HIGH, null, "", "", Resource.UNKNOWN, Map.of(), "onloop-over", null, "{}", null));
        apply(firing("from-alertmanager", T0));
        String other = newTenant();
        apply(event(other, EventStatus.FIRING, "x", T0, Map.of()));

        List<FiringAlert> firing = store.firingAlerts(tenant);

        assertThat(firing).extracting(FiringAlert::fingerprint)
                .containsExactly("from-alertmanager", "onloop-a", "onloop-acked", "onloop-no-time");
        assertThat(firing).extracting(FiringAlert::since)
                .containsExactly(T0, T0, T0.plusSeconds(5), T0.plusSeconds(60));
        assertThat(firing.get(1).event()).satisfies(e -> {
            assertThat(e.id()).isEqualTo(started.id());
            assertThat(e.source()).isEqualTo(SourceType.ONLOOP);
            assertThat(e.labels()).isEqualTo(Map.of("watch", "cpu", "series", "onloop-a"));
            assertThat(e.repeats()).isEqualTo(1);
        });
        assertThat(store.firingAlerts(other)).extracting(FiringAlert::fingerprint).containsExactly("x");
    }

    @Test
    void keysetPaginationWalksEveryEventOnceNewestFirst() {
        List<Event> stored = new ArrayList<>();
        for (int i = 0; i < 37; i++) {
            // three events share each instant, so the id must break ties; each says something new (n), so
            // none is an unchanged repeat counted on an earlier one
            String fp = "fp-" + (i % 4);
            stored.add(apply(event(tenant, EventStatus.FIRING, fp, T0.plusMillis(i / 3), Map.of("alertname", fp, "n", "" + i))));
        }
        for (int pageSize : new int[]{1, 5, 36, 37, 500}) {
            List<Event> walked = all(c -> store.findEvents(new EventQuery(tenant, null, null, null, null, null, null, null,
                    null, null, pageSize, c)));
            assertThat(walked).hasSize(37);
            assertThat(walked).extracting(Event::id).containsExactlyInAnyOrderElementsOf(stored.stream().map(Event::id).toList());
            for (int i = 1; i < walked.size(); i++) {
                assertThat(walked.get(i).receivedAt()).isBeforeOrEqualTo(walked.get(i - 1).receivedAt());
            }
        }
        Page<Event> first = store.findEvents(new EventQuery(tenant, null, null, null, null, null, null, null, null, null, 10, null));
        assertThat(first.items()).hasSize(10);
        assertThat(first.items().getFirst().receivedAt()).isEqualTo(T0.plusMillis(12));
        assertThat(first.nextCursor()).isNotNull();
        // a cursor combines with filters
        List<Event> filtered = all(c -> store.findEvents(new EventQuery(tenant, null, null, null, null, Map.of("alertname", "fp-1"),
                null, null, null, null, 2, c)));
        assertThat(filtered).hasSize(9).allSatisfy(e -> assertThat(e.fingerprint()).isEqualTo("fp-1"));
    }

    @Test
    void aFilteredPageSearchesAtMostItsScanLimitAndSearchesOnFromWhereItStopped() {
        // 30 alerts, one a millisecond; four say "needle" (fingerprints 2, 20, 21, 22), each opens its own incident
        Set<Integer> needles = Set.of(2, 20, 21, 22);
        for (int i = 0; i < 30; i++) {
            apply(firing((needles.contains(i) ? "needle-" : "hay-") + i, T0.plusMillis(i)));
        }
        // newest first, 5 rows a page at most: 29-25 (none), 24-20 (three: the page of 2 fills at 21), 20-16 (20),
        // 15-11, 10-6 (none), 5-1 (2), then 0 alone: nothing older follows it, so no bound and no cursor
        List<String> expected = List.of("[] to 25", "[22, 21]", "[20] to 16", "[] to 11", "[] to 6", "[2] to 1", "[]");
        assertThat(pages(c -> store.findEvents(new EventQuery(tenant, null, null, null, null, null, null, null, "NEEDLE",
                null, 2, c, 5)), e -> e.fingerprint())).isEqualTo(expected);
        assertThat(pages(c -> store.findIncidents(new IncidentQuery(tenant, null, null, null, null, null, null, null,
                "needle", 2, c, 5)), i -> i.title().substring("alert ".length()))).isEqualTo(expected);

        // no bound: one page with all four
        assertThat(pages(c -> store.findEvents(new EventQuery(tenant, null, null, null, null, null, null, null, "needle",
                null, 10, c, 0)), Event::fingerprint)).containsExactly("[22, 21, 20, 2]");
        // the bound counts rows within the time range, after the cursor
        assertThat(pages(c -> store.findEvents(new EventQuery(tenant, null, null, null, null, null, null,
                T0.plusMillis(23), "needle", null, 10, c, 5)), Event::fingerprint)).containsExactly("[22, 21, 20] to 18", "[] to 13",
                "[] to 8", "[] to 3", "[2]");
        // what an index finds is not bounded: a plain list, a time range, one incident's events, incidents by status
        assertThat(store.findEvents(new EventQuery(tenant, null, null, null, null, null, T0, null, null, null, 12, null, 5))
                .items()).hasSize(12);
        UUID first = store.findEvents(new EventQuery(tenant, null, null, null, null, Map.of("alertname", "hay-0"), null,
                null, null, null, 1, null, 0)).items().getFirst().incidentId();
        Page<Event> ofIncident = store.findEvents(new EventQuery(tenant, null, null, null, null, null, null, null, null,
                first, 10, null, 5));
        assertThat(ofIncident.items()).extracting(Event::fingerprint).containsExactly("hay-0");
        assertThat(ofIncident.searchedTo()).isNull();
        assertThat(store.findIncidents(new IncidentQuery(tenant, Set.of(IncidentStatus.OPEN), null, null, null, null,
                null, null, null, 30, null, 5)).items()).hasSize(30);
    }

    @Test
    void aScanBoundNeverSkipsNorRepeatsAMatchAmongRowsOfOneInstant() {
        // 13 alerts at one instant (their ids order them), 5 before it a millisecond apart; every other one a needle
        Set<String> needles = new HashSet<>();
        for (int i = 0; i < 18; i++) {
            String fp = (i % 2 == 0 ? "needle-" : "hay-") + i;
            apply(firing(fp, i < 13 ? T0.plusMillis(10) : T0.plusMillis(i - 13)));
            if (i % 2 == 0) {
                needles.add(fp);
            }
        }
        for (int scan = 1; scan <= 6; scan++) {
            for (int limit = 1; limit <= 3; limit++) {
                int s = scan;
                int l = limit;
                // with a bound of 1 every row read is the last of its page: a match there must be neither lost nor repeated
                assertThat(all(c -> store.findEvents(new EventQuery(tenant, null, null, null, null, null, null, null,
                        "needle", null, l, c, s)))).as("events, bound %d, page %d", s, l)
                        .extracting(Event::fingerprint).containsExactlyInAnyOrderElementsOf(needles);
                assertThat(all(c -> store.findIncidents(new IncidentQuery(tenant, null, null, null, null, null, null,
                        null, "needle", l, c, s)))).as("incidents, bound %d, page %d", s, l)
                        .extracting(i -> i.title().substring("alert ".length())).containsExactlyInAnyOrderElementsOf(needles);
            }
        }
    }

    /** Every page of a walk as "[items] to searchedTo-in-ms", or "[items]" when the page was not cut short. */
    private static <T> List<String> pages(Function<String, Page<T>> pageAt, Function<T, String> name) {
        List<String> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<T> page = pageAt.apply(cursor);
            String items = page.items().stream().map(name).map(n -> n.substring(n.indexOf('-') + 1)).toList().toString();
            out.add(page.searchedTo() == null ? items : items + " to " + Duration.between(T0, page.searchedTo()).toMillis());
            assertThat(page.searchedTo() == null || page.nextCursor() != null).as("a page cut short has a cursor").isTrue();
            cursor = page.nextCursor();
        } while (cursor != null && out.size() < 100);
        return out;
    }

    @Test
    void keysetPaginationWalksIncidentsAndAuditLog() {
        IncidentActions actions = new IncidentActions(store, Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC));
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 13; i++) {
            UUID id = apply(firing("inc-" + i, T0.plusMillis(i / 2))).incidentId();
            ids.add(id);
            actions.comment(tenant, id, "alice", "note " + i); // all at the same instant: ties broken by id
        }
        List<Incident> walked = all(c -> store.findIncidents(new IncidentQuery(tenant, null, null, null, null, null, null,
                null, null, 4, c)));
        assertThat(walked).extracting(Incident::id).containsExactlyInAnyOrderElementsOf(ids);
        for (int i = 1; i < walked.size(); i++) {
            assertThat(walked.get(i).openedAt()).isBeforeOrEqualTo(walked.get(i - 1).openedAt());
        }
        List<AuditEntry> audit = all(c -> store.auditLog(tenant, 3, c));
        assertThat(audit).hasSize(13).extracting(AuditEntry::action).containsOnly("incident.comment");
        assertThatThrownBy(() -> store.auditLog(tenant, 3, "not a cursor")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAuditLogIsFilteredByActorActionTargetAndTime() {
        String target = UUID.randomUUID().toString();
        String other = newTenant();
        store.inTransaction(tx -> {
            tx.appendAudit(new AuditEntry(Ids.newId(T0), tenant, T0, "alice", "recommendation.approve", "recommendation", target, ""));
            tx.appendAudit(new AuditEntry(Ids.newId(T0), tenant, T0.plusSeconds(1), "onloop", "recommendation.supersede",
                    "recommendation", target, ""));
            tx.appendAudit(new AuditEntry(Ids.newId(T0), tenant, T0.plusSeconds(2), "alice", "token.revoke", "token", "t-1", ""));
            tx.appendAudit(new AuditEntry(Ids.newId(T0), tenant, T0.plusSeconds(3), "bob", "recommendation_x", "other", "o", ""));
            tx.appendAudit(new AuditEntry(Ids.newId(T0), other, T0, "alice", "recommendation.approve", "recommendation", target, ""));
            return null;
        });
        java.util.function.Function<AuditQuery, List<String>> actions = q -> all(c -> store.auditLog(q, 2, c)).stream()
                .map(AuditEntry::action).toList();
        assertThat(actions.apply(AuditQuery.all(tenant))).hasSize(4);
        assertThat(actions.apply(new AuditQuery(tenant, "alice", null, null, null, null, null)))
                .containsExactly("token.revoke", "recommendation.approve");
        // a prefix ends in *; "_" in it is a character, not LIKE's wildcard; case does not matter
        assertThat(actions.apply(new AuditQuery(tenant, null, "Recommendation.*", null, null, null, null)))
                .containsExactly("recommendation.supersede", "recommendation.approve");
        assertThat(actions.apply(new AuditQuery(tenant, null, "recommendation_*", null, null, null, null)))
                .containsExactly("recommendation_x");
        assertThat(actions.apply(new AuditQuery(tenant, null, "token.revoke", null, null, null, null)))
                .containsExactly("token.revoke");
        assertThat(actions.apply(new AuditQuery(tenant, null, "token", null, null, null, null))).isEmpty();
        assertThat(actions.apply(new AuditQuery(tenant, null, null, "Recommendation", target, null, null)))
                .containsExactly("recommendation.supersede", "recommendation.approve");
        assertThat(actions.apply(new AuditQuery(tenant, null, null, null, null, T0.plusSeconds(1), T0.plusSeconds(3))))
                .containsExactly("token.revoke", "recommendation.supersede");
        assertThat(actions.apply(new AuditQuery(tenant, "nobody\u0000", null, null, null, null, null))).isEmpty();
    }

    private List<UUID> ids(UnaryOperator<EventQuery> filter) {
        return events(filter).stream().map(Event::id).toList();
    }

    private List<UUID> incidentIds(UnaryOperator<IncidentQuery> filter) {
        return all(c -> {
            IncidentQuery q = filter.apply(IncidentQuery.all(tenant, 2));
            return store.findIncidents(new IncidentQuery(q.tenantId(), q.statuses(), q.severities(), q.sources(),
                    q.resource(), q.labels(), q.from(), q.to(), q.text(), q.limit(), c));
        }).stream().map(Incident::id).toList();
    }

    /** A copy of q with one field changed (keeps the tests short). */
    @SuppressWarnings("unchecked")
    private static EventQuery q(EventQuery q, String field, Object v) {
        return new EventQuery(q.tenantId(),
                field.equals("statuses") ? (Set<EventStatus>) v : q.statuses(),
                field.equals("severities") ? (Set<Severity>) v : q.severities(),
                field.equals("sources") ? (Set<SourceType>) v : q.sources(),
                field.equals("resource") ? (String) v : q.resource(),
                field.equals("labels") ? (Map<String, String>) v : q.labels(),
                field.equals("from") ? (Instant) v : q.from(),
                field.equals("to") ? (Instant) v : q.to(),
                field.equals("text") ? (String) v : q.text(),
                q.incidentId(), q.limit(), q.cursor());
    }

    @SuppressWarnings("unchecked")
    private static IncidentQuery iq(IncidentQuery q, String field, Object v) {
        return new IncidentQuery(q.tenantId(),
                field.equals("statuses") ? (Set<IncidentStatus>) v : q.statuses(),
                field.equals("severities") ? (Set<Severity>) v : q.severities(),
                field.equals("sources") ? (Set<SourceType>) v : q.sources(),
                field.equals("resource") ? (String) v : q.resource(),
                field.equals("labels") ? (Map<String, String>) v : q.labels(),
                field.equals("from") ? (Instant) v : q.from(),
                field.equals("to") ? (Instant) v : q.to(),
                field.equals("text") ? (String) v : q.text(),
                q.limit(), q.cursor());
    }

    // ---- journal checkpoint --------------------------------------------------------------------

    @Test
    void theJournalCheckpointCommitsAndRollsBackWithTheTransaction() {
        String journal = "journal-" + UUID.randomUUID();
        assertThat(store.journalCheckpoint(journal)).isZero();
        store.inTransaction(tx -> {
            byFingerprint.apply(tx, firing("cp", T0));
            tx.setJournalCheckpoint(journal, 1234);
            return null;
        });
        assertThat(store.journalCheckpoint(journal)).isEqualTo(1234);
        store.inTransaction(tx -> {
            tx.setJournalCheckpoint(journal, 5678);
            return null;
        });
        assertThat(store.journalCheckpoint(journal)).isEqualTo(5678);
        assertThatThrownBy(() -> store.inTransaction(tx -> {
            tx.setJournalCheckpoint(journal, 9999);
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(store.journalCheckpoint(journal)).isEqualTo(5678);
        assertThat(store.journalCheckpoint("journal-" + UUID.randomUUID())).as("another journal").isZero();
    }

    // ---- group commit -------------------------------------------------------------------------

    @Test
    void concurrentSubmitsAreEachCommittedExactlyOnceAndGrouped() throws Exception {
        int threads = 4;
        int perThread = 60;
        int fingerprints = 7;
        Map<String, AtomicInteger> expected = new ConcurrentHashMap<>();
        List<CompletableFuture<Boolean>> visibleOnCompletion = new ArrayList<>();
        try (EventIngestor ingestor = new EventIngestor(new InMemoryEventJournal(), store, byFingerprint, Long.MAX_VALUE, 200, batch -> {
        }); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<List<CompletableFuture<Boolean>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Boolean>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        List<Event> request = new ArrayList<>();
                        for (int k = 0; k <= i % 3; k++) { // 1 to 3 events per request
                            String fp = "fp-" + ((thread * 3 + i + k) % fingerprints);
                            expected.computeIfAbsent(fp, x -> new AtomicInteger()).incrementAndGet();
                            request.add(firing(fp, T0.plusMillis(i)));
                        }
                        // when the apply completes, the events must already be committed and readable
                        mine.add(ingestor.submit(request, true).applied().thenApply(stored -> stored.stream()
                                .allMatch(e -> e.incidentId() != null && store.findEvent(tenant, e.id()).isPresent())));
                    }
                    return mine;
                }));
            }
            for (var f : submitted) {
                visibleOnCompletion.addAll(f.get(60, TimeUnit.SECONDS));
            }
            for (var f : visibleOnCompletion) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        }
        assertThat(events(q -> q)).hasSize(fingerprints); // every later event repeats its alert's first unchanged
        List<Incident> incidents = incidents();
        assertThat(incidents).hasSize(fingerprints);
        for (Incident incident : incidents) {
            String fp = incident.title().substring("alert ".length());
            assertThat(incident.eventCount()).as(fp).isEqualTo(expected.get(fp).get());
            assertThat(events(q -> withIncident(q, incident.id()))).singleElement()
                    .satisfies(e -> assertThat(e.repeats()).as(fp).isEqualTo(expected.get(fp).get() - 1));
            assertThat(kinds(incident.id())).containsExactly(Kind.OPENED);
        }
    }

    @Test
    void aFailingRequestInASharedBatchFailsAlone() throws Exception {
        Event existing = apply(firing("pre", T0));
        CountDownLatch writerBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger transactions = new AtomicInteger();
        var journal = new InMemoryEventJournal();
        // holds the writer in its first transaction so that the next requests queue up into one batch
        EventStore gated = new DelegatingEventStore(store) {
            @Override
            public <T> T inTransaction(Function<Transaction, T> work) {
                if (transactions.getAndIncrement() == 0) {
                    writerBusy.countDown();
                    await(release);
                }
                return super.inTransaction(work);
            }
        };
        try (EventIngestor ingestor = new EventIngestor(journal, gated, byFingerprint, Long.MAX_VALUE, 500, batch -> {
        })) {
            CompletableFuture<List<Event>> first = ingestor.submit(List.of(firing("a", T0.plusSeconds(1))), true).applied();
            assertThat(writerBusy.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<List<Event>>> good = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                good.add(ingestor.submit(List.of(firing("g" + i, T0.plusSeconds(2)), firing("a", T0.plusSeconds(2))), true).applied());
            }
            Event duplicate = new Event(existing.id(), tenant, null, SourceType.GENERIC, T0.plusSeconds(3), null,
                    EventStatus.FIRING, Severity.HIGH, null, "dup", null, null, null, "dup-fp", null, null, null);
            CompletableFuture<List<Event>> bad = ingestor.submit(List.of(firing("b", T0.plusSeconds(3)), duplicate), true).applied();
            for (int i = 5; i < 10; i++) {
                good.add(ingestor.submit(List.of(firing("g" + i, T0.plusSeconds(4))), true).applied());
            }
            release.countDown();

            assertThat(first.get(30, TimeUnit.SECONDS)).hasSize(1);
            for (var f : good) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isNotEmpty();
            }
            assertThatThrownBy(() -> bad.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
        assertThat(transactions.get()).as("the shared batch failed and was retried one request at a time").isGreaterThan(3);
        assertThat(journal.quarantined()).as("the bad request is set aside, not dropped").singleElement()
                .satisfies(r -> assertThat(r.events()).extracting(Event::fingerprint).containsExactly("b", "dup-fp"));
        assertThat(store.journalCheckpoint(journal.id())).as("applied past it").isEqualTo(journal.end());
        List<Event> all = events(q -> q);
        assertThat(all).hasSize(1 + 1 + 5 + 5); // "a" fired once and repeated 5 times, counted on its first event
        assertThat(all).extracting(Event::fingerprint).doesNotContain("b", "dup-fp");
        Incident a = incident(all.stream().filter(e -> e.fingerprint().equals("a")).findFirst().orElseThrow().incidentId());
        assertThat(a.eventCount()).isEqualTo(6);
        assertThat(incidents()).extracting(Incident::title).doesNotContain("alert b", "dup");
    }

    @Test
    void peopleAndTheWriterNeverLoseEachOthersUpdates() throws Exception {
        UUID id = apply(firing("busy", T0)).incidentId();
        IncidentActions actions = new IncidentActions(store, Clock.fixed(T0.plusSeconds(1), ZoneOffset.UTC));
        int events = 300;
        List<CompletableFuture<List<Event>>> futures = new ArrayList<>();
        try (EventIngestor ingestor = new EventIngestor(new InMemoryEventJournal(), store, byFingerprint, Long.MAX_VALUE, 50, batch -> {
        })) {
            for (int i = 0; i < events; i++) {
                futures.add(ingestor.submit(List.of(firing("busy", T0.plusMillis(i + 1))), true).applied());
                if (i == events / 2) {
                    actions.acknowledge(tenant, id, "alice").orElseThrow();
                }
                if (i % 30 == 0) {
                    actions.comment(tenant, id, "bob", "note " + i);
                }
            }
            for (var f : futures) {
                assertThat(f.get(60, TimeUnit.SECONDS)).extracting(Event::incidentId).containsOnly(id);
            }
        }
        Incident after = incident(id);
        assertThat(after.eventCount()).isEqualTo(events + 1);
        assertThat(after.status()).isEqualTo(IncidentStatus.ACKNOWLEDGED);
        assertThat(after.acknowledgedBy()).isEqualTo("alice");
        assertThat(after.lastEventAt()).isEqualTo(T0.plusMillis(events));
        assertThat(kinds(id)).filteredOn(k -> k == Kind.COMMENT).hasSize(events / 30);
    }

    @Test
    void aNulInAFingerprintIsGroupedThroughTheBatchPathLikeAnyOther() throws Exception {
        // The normalizer replaces U+0000, but a store must not fail a whole batch if one reaches it.
        try (EventIngestor ingestor = new EventIngestor(new InMemoryEventJournal(), store, byFingerprint, Long.MAX_VALUE, 100, batch -> {
        })) {
            Event first = ingestor.submit(List.of(firing("nul\u0000fp", T0)), true).applied().get(60, TimeUnit.SECONDS).getFirst();
            Event repeat = ingestor.submit(List.of(firing("nul\u0000fp", T0.plusSeconds(1)), firing("plain", T0)), true)
                    .applied().get(60, TimeUnit.SECONDS).getFirst();
            assertThat(first.incidentId()).isNotNull();
            assertThat(repeat.incidentId()).isEqualTo(first.incidentId());
            assertThat(incident(first.incidentId()).eventCount()).isEqualTo(2);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("latch timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Forwards everything to another store; tests override what they need to observe. */
    public static class DelegatingEventStore implements EventStore {
        private final EventStore delegate;

        public DelegatingEventStore(EventStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public <T> T inTransaction(Function<Transaction, T> work) {
            return delegate.inTransaction(work);
        }

        @Override
        public Optional<Event> findEvent(String tenantId, UUID id) {
            return delegate.findEvent(tenantId, id);
        }

        @Override
        public Map<Severity, Integer> countOpenIncidents(String tenantId) {
            return delegate.countOpenIncidents(tenantId);
        }

        @Override
        public List<FiringAlert> firingAlerts(String tenantId) {
            return delegate.firingAlerts(tenantId);
        }

        @Override
        public Page<Event> findEvents(EventQuery query) {
            return delegate.findEvents(query);
        }

        @Override
        public Optional<Incident> findIncident(String tenantId, UUID id) {
            return delegate.findIncident(tenantId, id);
        }

        @Override
        public Page<Incident> findIncidents(IncidentQuery query) {
            return delegate.findIncidents(query);
        }

        @Override
        public List<TimelineEntry> timeline(String tenantId, UUID incidentId) {
            return delegate.timeline(tenantId, incidentId);
        }

        @Override
        public Page<AuditEntry> auditLog(AuditQuery query, int limit, String cursor) {
            return delegate.auditLog(query, limit, cursor);
        }

        @Override
        public long journalCheckpoint(String journalId) {
            return delegate.journalCheckpoint(journalId);
        }
    }
}
