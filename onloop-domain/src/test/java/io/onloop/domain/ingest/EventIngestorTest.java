package io.onloop.domain.ingest;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.incident.TimelineEntry;
import io.onloop.domain.ingest.EventIngestor.OverloadedException;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.store.Page;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ingestor's own behaviour (queueing, overload, shutdown, batching), over a stub store that
 * records what was inserted and can hold the writer inside a transaction. Storage and grouping
 * semantics are proved by EventStoreContract in onloop-testkit, against real stores.
 */
class EventIngestorTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final IncidentGrouping GROUPING = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);

    private final StubStore store = new StubStore();
    private final List<EventIngestor> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        store.release.countDown();
        opened.forEach(EventIngestor::close);
    }

    private EventIngestor ingestor(int queueCapacity, int maxBatchEvents) {
        var ingestor = new EventIngestor(store, GROUPING, queueCapacity, maxBatchEvents, store.published::addAll);
        opened.add(ingestor);
        return ingestor;
    }

    private static Event firing(String fingerprint) {
        return new Event(Ids.newId(T0), "t1", null, SourceType.GENERIC, T0, null, EventStatus.FIRING, Severity.HIGH,
                null, "alert " + fingerprint, null, null, null, fingerprint, null, null, null);
    }

    /** Submits one request and waits until the writer is inside its transaction, held there. */
    private CompletableFuture<List<Event>> occupyWriter(EventIngestor ingestor) throws InterruptedException {
        store.holdNext = true;
        var first = ingestor.submit(List.of(firing("first")));
        assertThat(store.writerHeld.await(10, TimeUnit.SECONDS)).as("writer entered its transaction").isTrue();
        return first;
    }

    @Test
    void anEmptyRequestCompletesAtOnceWithoutTouchingTheStore() throws Exception {
        var ingestor = ingestor(1, 10);
        var first = occupyWriter(ingestor);
        ingestor.submit(List.of(firing("queued"))); // the queue (capacity 1) is now full
        CompletableFuture<List<Event>> empty = ingestor.submit(List.of());
        assertThat(empty).isCompletedWithValue(List.of());
        assertThat(store.transactions.get()).isEqualTo(1);
        store.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
        ingestor.close();
        assertThat(ingestor.submit(List.of())).isCompletedWithValue(List.of());
    }

    @Test
    void completesWithTheStoredEventsOnlyAfterTheTransactionAndTellsTheListener() throws Exception {
        var ingestor = ingestor(10, 10);
        var first = occupyWriter(ingestor);
        assertThat(first).isNotDone();
        assertThat(store.published).isEmpty();
        store.release.countDown();
        List<Event> stored = first.get(10, TimeUnit.SECONDS);
        assertThat(stored).singleElement().satisfies(e -> {
            assertThat(e.fingerprint()).isEqualTo("first");
            assertThat(e.incidentId()).isNotNull();
        });
        assertThat(store.inserted).containsExactlyElementsOf(stored);
        assertThat(store.published).containsExactlyElementsOf(stored);
    }

    @Test
    void aFullQueueFailsAtOnceWithOverloaded() throws Exception {
        var ingestor = ingestor(2, 10);
        var first = occupyWriter(ingestor);
        var a = ingestor.submit(List.of(firing("a")));
        var b = ingestor.submit(List.of(firing("b")));
        var c = ingestor.submit(List.of(firing("c")));
        assertThat(c).isCompletedExceptionally();
        assertThatThrownBy(c::join).hasCauseInstanceOf(OverloadedException.class);
        assertThat(a).isNotDone();
        assertThat(b).isNotDone();

        store.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(a.get(10, TimeUnit.SECONDS)).extracting(Event::fingerprint).containsExactly("a");
        assertThat(b.get(10, TimeUnit.SECONDS)).extracting(Event::fingerprint).containsExactly("b");
        assertThat(store.inserted).extracting(Event::fingerprint).containsExactlyInAnyOrder("first", "a", "b");
        // with room again, requests are taken again
        assertThat(ingestor.submit(List.of(firing("d"))).get(10, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void afterCloseNewRequestsFail() {
        var ingestor = ingestor(10, 10);
        ingestor.close();
        var late = ingestor.submit(List.of(firing("late")));
        assertThat(late).isCompletedExceptionally();
        assertThatThrownBy(() -> late.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(store.transactions.get()).isZero();
        ingestor.close(); // closing twice is harmless
    }

    @Test
    void closeWritesEverythingQueuedBeforeItReturns() throws Exception {
        var ingestor = ingestor(100, 3);
        var first = occupyWriter(ingestor);
        List<CompletableFuture<List<Event>>> queued = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            queued.add(ingestor.submit(List.of(firing("q" + i))));
        }
        var closed = new CountDownLatch(1);
        Thread closer = Thread.ofPlatform().start(() -> {
            ingestor.close();
            closed.countDown();
        });
        // close() has stopped intake once a new request fails; requests it still took count as queued
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            var probe = ingestor.submit(List.of(firing("probe")));
            if (probe.isCompletedExceptionally()) {
                assertThatThrownBy(probe::join).hasCauseInstanceOf(IllegalStateException.class);
                break;
            }
            queued.add(probe);
            assertThat(System.nanoTime()).as("close() stops intake").isLessThan(deadline);
            Thread.sleep(5);
        }
        assertThat(closed.getCount()).as("close() waits for the queue to be written").isEqualTo(1);
        assertThat(queued).noneMatch(CompletableFuture::isDone);

        store.release.countDown();
        assertThat(closed.await(20, TimeUnit.SECONDS)).isTrue();
        closer.join(1000);
        // when close() returns, every accepted request has been written and answered
        assertThat(first).isCompleted();
        for (var f : queued) {
            assertThat(f).isCompleted();
            assertThat(f.get()).hasSize(1);
        }
        assertThat(store.inserted).hasSize(1 + queued.size());
        // batches of at most maxBatchEvents after the held first transaction
        assertThat(store.transactions.get()).isEqualTo(1 + (queued.size() + 2) / 3);
    }

    @Test
    void queuedRequestsShareATransactionUpToMaxBatchEventsAndABigRequestIsNotSplit() throws Exception {
        var ingestor = ingestor(100, 4);
        var first = occupyWriter(ingestor);
        var small = new ArrayList<CompletableFuture<List<Event>>>();
        for (int i = 0; i < 4; i++) {
            small.add(ingestor.submit(List.of(firing("s" + i))));
        }
        var big = ingestor.submit(List.of(firing("b1"), firing("b2"), firing("b3"), firing("b4"), firing("b5"), firing("b6")));
        store.release.countDown();
        first.get(10, TimeUnit.SECONDS);
        for (var f : small) {
            assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(1);
        }
        assertThat(big.get(10, TimeUnit.SECONDS)).extracting(Event::fingerprint)
                .containsExactly("b1", "b2", "b3", "b4", "b5", "b6");
        // held first, the four small ones together, then the big one on its own
        assertThat(store.transactions.get()).isEqualTo(3);
        assertThat(store.batchSizes).containsExactly(1, 4, 6);
    }

    @Test
    void aThrowingListenerFailsNoRequest() throws Exception {
        var ingestor = new EventIngestor(store, GROUPING, 10, 10, batch -> {
            throw new IllegalStateException("listener broke");
        });
        opened.add(ingestor);
        assertThat(ingestor.submit(List.of(firing("x"))).get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(ingestor.submit(List.of(firing("y"))).get(10, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void aFailedTransactionFailsItsRequestAndTheWriterGoesOn() throws Exception {
        var ingestor = ingestor(10, 10);
        store.failNext = true;
        var failed = ingestor.submit(List.of(firing("doomed")));
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("store down");
        assertThat(ingestor.submit(List.of(firing("next"))).get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(store.inserted).extracting(Event::fingerprint).containsExactly("next");
        assertThat(store.published).extracting(Event::fingerprint).containsExactly("next");
    }

    @Test
    void anErrorInATransactionFailsItsRequestAndDoesNotKillTheWriter() throws Exception {
        var ingestor = ingestor(10, 10);
        store.errorNext = new StackOverflowError("deep payload");
        var failed = ingestor.submit(List.of(firing("doomed")));
        assertThatThrownBy(() -> failed.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(StackOverflowError.class);
        assertThat(ingestor.submit(List.of(firing("next"))).get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(store.inserted).extracting(Event::fingerprint).containsExactly("next");
    }

    /**
     * Enough of a store for the ingestor: keeps committed inserts, knows no open incidents, can hold
     * the writer inside one transaction or fail one.
     */
    private static final class StubStore implements EventStore {
        final List<Event> inserted = new CopyOnWriteArrayList<>();
        final List<Event> published = new CopyOnWriteArrayList<>();
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final AtomicInteger transactions = new AtomicInteger();
        final CountDownLatch writerHeld = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean holdNext;
        volatile boolean failNext;
        volatile Error errorNext;

        @Override
        public <T> T inTransaction(Function<Transaction, T> work) {
            transactions.incrementAndGet();
            if (holdNext) {
                holdNext = false;
                writerHeld.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test never released the writer");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (failNext) {
                failNext = false;
                throw new IllegalStateException("store down");
            }
            if (errorNext != null) {
                Error e = errorNext;
                errorNext = null;
                throw e;
            }
            var tx = new StubTransaction();
            T result = work.apply(tx);
            batchSizes.add(tx.events.size());
            inserted.addAll(tx.events); // "commit"
            return result;
        }

        @Override
        public Optional<Event> findEvent(String tenantId, UUID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page<Event> findEvents(EventQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<Incident> findIncident(String tenantId, UUID id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page<Incident> findIncidents(IncidentQuery query) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<TimelineEntry> timeline(String tenantId, UUID incidentId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Page<AuditEntry> auditLog(String tenantId, int limit, String cursor) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class StubTransaction implements EventStore.Transaction {
        final List<Event> events = new ArrayList<>();

        @Override
        public void insertEvent(Event event) {
            events.add(event);
        }

        @Override
        public void insertIncident(Incident incident) {
        }

        @Override
        public void updateIncident(Incident incident) {
        }

        @Override
        public Optional<Incident> lockIncident(String tenantId, UUID id) {
            return Optional.empty();
        }

        @Override
        public Optional<Incident> openIncidentWithFingerprint(String tenantId, String fingerprint) {
            return Optional.empty();
        }

        @Override
        public Optional<Incident> openIncidentWithGroupKey(String tenantId, String groupKey) {
            return Optional.empty();
        }

        @Override
        public Optional<Boolean> alertFiring(String tenantId, UUID incidentId, String fingerprint) {
            return Optional.empty();
        }

        @Override
        public void putAlert(String tenantId, UUID incidentId, String fingerprint, boolean firing, Instant at) {
        }

        @Override
        public void appendTimeline(TimelineEntry entry) {
        }

        @Override
        public void appendAudit(AuditEntry entry) {
        }
    }
}
