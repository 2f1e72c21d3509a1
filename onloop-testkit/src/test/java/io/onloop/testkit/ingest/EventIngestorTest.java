package io.onloop.testkit.ingest;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.AlertState;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.incident.TimelineEntry;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventIngestor.OverloadedException;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.NotDurableException;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Pruned;
import io.onloop.testkit.store.EventStoreContract;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The ingestor's own behaviour — accept on journal, apply later in batches, backlog limit,
 * shutdown and restart, failures — over the in-memory journal and store. The file journal and
 * the real stores have their own suites; the app's crash test runs them together.
 */
class EventIngestorTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00Z");
    private static final IncidentGrouping GROUPING = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);

    private final InMemoryEventJournal journal = new InMemoryEventJournal();
    private final GatedStore store = new GatedStore(new InMemoryEventStore(), journal.id());
    private final List<Event> published = new CopyOnWriteArrayList<>();
    private final List<EventIngestor> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        store.release.countDown();
        opened.forEach(i -> i.close(Duration.ofSeconds(5)));
    }

    private EventIngestor ingestor(long maxBacklog, int maxBatchEvents) {
        var ingestor = new EventIngestor(journal, store, GROUPING, maxBacklog, maxBatchEvents, published::addAll);
        opened.add(ingestor);
        return ingestor;
    }

    private static Event firing(String fingerprint) {
        return new Event(Ids.newId(T0), "t1", null, SourceType.GENERIC, T0, null, EventStatus.FIRING, Severity.HIGH,
                null, "alert " + fingerprint, null, null, null, fingerprint, null, null, null);
    }

    /** Submits one request and waits until the applier is inside its transaction, held there. */
    private EventIngestor.Receipt occupyApplier(EventIngestor ingestor) throws InterruptedException {
        store.holdNext = true;
        var first = ingestor.submit(List.of(firing("first")), true);
        assertThat(store.held.await(10, TimeUnit.SECONDS)).as("applier entered its transaction").isTrue();
        return first;
    }

    private List<Event> stored() {
        return store.delegate.findEvents(EventQuery.all("t1", 500)).items();
    }

    @Test
    void acceptsOnceJournaledAndAppliesAfterwardsWithIncidents() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        var first = occupyApplier(ingestor);
        var second = ingestor.submit(List.of(firing("second")), true);
        assertThat(first.durable()).isCompleted();
        assertThat(second.durable()).as("accepted while the store is busy").isCompleted();
        assertThat(second.applied()).isNotDone();
        assertThat(published).isEmpty();

        store.release.countDown();
        List<Event> applied = second.applied().get(10, TimeUnit.SECONDS);
        assertThat(applied).singleElement().satisfies(e -> assertThat(e.incidentId()).isNotNull());
        first.applied().get(10, TimeUnit.SECONDS);
        assertThat(stored()).extracting(Event::fingerprint).containsExactlyInAnyOrder("first", "second");
        assertThat(published).extracting(Event::fingerprint).containsExactly("first", "second");
        assertThat(store.delegate.journalCheckpoint(journal.id())).isEqualTo(journal.end());
        assertThat(ingestor.backlogBytes()).isZero();
        awaitReleased(journal.end());
    }

    @Test
    void aRecordWithNoEventsIsAppliedPastWithoutStoppingTheOthers() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        occupyApplier(ingestor);
        // what the file journal reads for a record it could not decode and set aside, in one batch with the next
        journal.append(List.of());
        var after = ingestor.submit(List.of(firing("after")), true);
        store.release.countDown();
        assertThat(after.applied().get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(e -> assertThat(e.fingerprint()).isEqualTo("after"));
        assertThat(store.delegate.journalCheckpoint(journal.id())).isEqualTo(journal.end());
        assertThat(journal.quarantined()).as("the batch was stored as it was, not taken apart as failing").isEmpty();
    }

    @Test
    void withoutAskingThereIsNoApplyFutureAndAnEmptyRequestIsDoneAtOnce() {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        assertThat(ingestor.submit(List.of(firing("x")), false).applied()).isNull();
        var empty = ingestor.submit(List.of(), true);
        assertThat(empty.durable()).isCompleted();
        assertThat(empty.applied()).isCompletedWithValue(List.of());
    }

    @Test
    void aFullBacklogRefusesWithOverloadedAndAcceptsAgainOnceApplied() throws Exception {
        var ingestor = ingestor(250, 10); // one single-event record takes 110 position units
        var first = occupyApplier(ingestor);
        assertThat(ingestor.submit(List.of(firing("a")), false).durable()).isCompleted();
        assertThat(ingestor.submit(List.of(firing("b")), false).durable()).isCompleted();
        var refused = ingestor.submit(List.of(firing("c")), true);
        assertThatThrownBy(refused.durable()::join).hasCauseInstanceOf(OverloadedException.class);
        assertThat(refused.applied()).isCompletedExceptionally();

        store.release.countDown();
        first.applied().get(10, TimeUnit.SECONDS);
        var later = ingestor.submit(List.of(firing("d")), true);
        assertThat(later.applied().get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(stored()).extracting(Event::fingerprint).containsExactlyInAnyOrder("first", "a", "b", "d");
    }

    @Test
    void recordsAreAppliedTogetherUpToMaxBatchEventsAndABigRequestIsNotSplit() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 4);
        var first = occupyApplier(ingestor);
        var small = new ArrayList<CompletableFuture<List<Event>>>();
        for (int i = 0; i < 4; i++) {
            small.add(ingestor.submit(List.of(firing("s" + i)), true).applied());
        }
        var big = ingestor.submit(List.of(firing("b1"), firing("b2"), firing("b3"), firing("b4"), firing("b5"), firing("b6")), true);
        store.release.countDown();
        first.applied().get(10, TimeUnit.SECONDS);
        for (var f : small) {
            assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(1);
        }
        assertThat(big.applied().get(10, TimeUnit.SECONDS)).extracting(Event::fingerprint)
                .containsExactly("b1", "b2", "b3", "b4", "b5", "b6");
        assertThat(store.batchSizes).containsExactly(1, 4, 6);
    }

    @Test
    void batchesStartAt2000EventsGrowToMaxBatchEventsWhenStoringIsQuickAndStartOverAfterAFailure() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 3000);
        store.poison = "poison";
        var first = occupyApplier(ingestor);
        EventIngestor.Receipt last = null;
        for (int i = 0; i < 8000; i++) {
            last = ingestor.submit(List.of(firing(i == 4000 ? "poison" : "f" + i)), true);
        }
        store.release.countDown();
        // 3,000 records stored one by one take ~3 s alone, over 10 s on a machine busy with other work
        first.applied().get(60, TimeUnit.SECONDS);
        last.applied().get(60, TimeUnit.SECONDS);

        List<Integer> sizes = List.copyOf(store.batchSizes);
        // batches start at the floor (the held one's slow rate keeps it there). 2,000 events stored in-memory in far
        // less than the 2 s a batch may take: the next takes the cap, 3,000 records, and fails on the poison among them
        assertThat(sizes.subList(0, 2)).containsExactly(1, 2000);
        List<Integer> oneByOne = sizes.subList(2, sizes.size() - 2);
        // stored one by one; before the poison is set aside, a transaction that writes nothing checks the store takes writes
        assertThat(oneByOne).hasSize(3001).containsOnly(0, 1);
        assertThat(journal.quarantined()).hasSize(1);
        assertThat(journal.quarantineReasons()).as("what the store said, not only its class")
                .containsExactly("java.lang.IllegalArgumentException: cannot store this one");
        // after the failure, the floor again, then the 1,000 left
        assertThat(sizes.subList(sizes.size() - 2, sizes.size())).containsExactly(2000, 1000);
    }

    @Test
    void closeStopsIntakeAndARestartAppliesWhatWasLeftExactlyOnce() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 3);
        var first = occupyApplier(ingestor);
        List<UUID> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Event e = firing("q" + i);
            assertThat(ingestor.submit(List.of(e), false).durable()).isCompleted();
            accepted.add(e.id());
        }
        ingestor.close(Duration.ofMillis(200)); // the store is held: nothing more gets applied
        var late = ingestor.submit(List.of(firing("late")), true);
        assertThatThrownBy(late.durable()::join).hasCauseInstanceOf(IllegalStateException.class);
        ingestor.close(Duration.ofMillis(10)); // twice is harmless
        store.release.countDown();
        first.applied().get(10, TimeUnit.SECONDS);

        var restarted = ingestor(Long.MAX_VALUE, 3);
        var probe = restarted.submit(List.of(firing("after-restart")), true);
        probe.applied().get(10, TimeUnit.SECONDS);
        List<Event> all = stored();
        assertThat(all).extracting(Event::id).containsAll(accepted);
        assertThat(all).hasSize(1 + accepted.size() + 1); // nothing twice
    }

    @Test
    void aStoreThatIsDownPausesApplyingWithoutLosingOrQuarantiningAnything() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.readsFail = true; // so a failing record cannot be told apart from a failing store
        store.failures.set(2);  // two transactions fail, then the store is back
        var receipt = ingestor.submit(List.of(firing("patient")), true);
        assertThat(receipt.durable()).isCompleted();
        assertThat(receipt.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        assertThat(journal.quarantined()).isEmpty();
    }

    @Test
    void howLongStoringHasBeenPausedIsKnownUntilItResumes() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        assertThat(ingestor.storingPausedFor()).isZero();
        store.failUnreachable = true;
        store.failures.set(Integer.MAX_VALUE);
        var receipt = ingestor.submit(List.of(firing("waits")), true);
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ingestor.storingPausedFor().isZero()) {
            assertThat(System.nanoTime()).as("paused within 10 s").isLessThan(deadline);
            Thread.sleep(10);
        }
        Thread.sleep(50);
        assertThat(ingestor.storingPausedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(50)); // what health reports
        store.failures.set(0);
        assertThat(receipt.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        long resumed = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // said just after the batch is stored
        while (!ingestor.storingPausedFor().isZero()) {
            assertThat(System.nanoTime()).as("resumed within 5 s").isLessThan(resumed);
            Thread.sleep(10);
        }
    }

    @Test
    void aTransactionTheStoreCouldNotReachIsRetriedNotQuarantinedEvenWhenReadsWork() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.failUnreachable = true; // a connection lost mid-transaction, a deadlock: the next may well work
        store.failures.set(3);
        var receipt = ingestor.submit(List.of(firing("patient")), true);
        assertThat(receipt.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        assertThat(journal.quarantined()).isEmpty();
    }

    @Test
    void aStoreThatAnswersReadsButTakesNoWritesPausesApplyingAndQuarantinesNothing() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.writesFail = true; // a read-only database: each record alone fails too, yet the record is not the problem
        var receipt = ingestor.submit(List.of(firing("patient")), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestor.storingPausedFor().isPositive());
        assertThat(journal.quarantined()).isEmpty();
        store.writesFail = false;
        assertThat(receipt.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        assertThat(journal.quarantined()).as("stored, so not kept aside as well").isEmpty();
        assertThat(ingestor.quarantinedRecords()).isZero();
    }

    @Test
    void recordsSetAsideInARowAreCountedUntilABatchIsStored() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.poison = "poison";
        for (int i = 0; i < 3; i++) {
            var refused = ingestor.submit(List.of(firing("poison")), true);
            assertThatThrownBy(() -> refused.applied().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        }
        assertThat(ingestor.quarantinedInARow()).isEqualTo(3);
        assertThat(ingestor.quarantinedRecords()).isEqualTo(3);
        ingestor.submit(List.of(firing("fine")), true).applied().get(10, TimeUnit.SECONDS);
        assertThat(ingestor.quarantinedInARow()).isZero();
        assertThat(ingestor.quarantinedRecords()).isEqualTo(3);
    }

    @Test
    void aBatchTheStoreCouldNotReachIsTriedAgainWholeNotRecordByRecord() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.failUnreachable = true;
        var first = occupyApplier(ingestor);
        var later = new ArrayList<CompletableFuture<List<Event>>>();
        for (int i = 0; i < 4; i++) {
            later.add(ingestor.submit(List.of(firing("u" + i)), true).applied());
        }
        store.failures.set(2); // the held transaction, then the first try of all five together
        store.release.countDown();
        assertThat(first.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        for (var f : later) {
            assertThat(f.get(20, TimeUnit.SECONDS)).hasSize(1);
        }
        // Record by record, each would have waited for the same unreachable store: one try of five, not five of one.
        assertThat(store.batchSizes).containsExactly(5);
        assertThat(journal.quarantined()).isEmpty();
    }

    @Test
    void aBatchCommittedButNotOnTheDiskIsNeverStoredAgainAndTheJournalKeepsItUntilALaterBatchIs() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.notDurableNext = true;
        var unforced = ingestor.submit(List.of(firing("unforced")), true);
        assertThat(unforced.applied().get(10, TimeUnit.SECONDS)).hasSize(1); // it is stored, and visible
        long end = journal.end();
        assertThat(journal.released()).as("not released while it may not be on the disk").isLessThan(end);

        ingestor.submit(List.of(firing("forced")), true).applied().get(10, TimeUnit.SECONDS);
        assertThat(stored()).extracting(Event::fingerprint).containsExactlyInAnyOrder("unforced", "forced");
        awaitReleased(journal.end()); // a later force covers both
        assertThat(journal.quarantined()).isEmpty();
    }

    @Test
    void aPoisonRecordWhoseCheckpointIsNotOnTheDiskIsQuarantinedOnceAndTheJournalKeepsIt() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.poison = "poison";
        store.notDurableNext = true; // the poison's own attempts throw first: this hits the checkpoint past it
        var receipt = ingestor.submit(List.of(firing("poison")), true);
        assertThatThrownBy(() -> receipt.applied().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(journal.released()).as("not released while the checkpoint may not be on the disk").isLessThan(journal.end());

        ingestor.submit(List.of(firing("next")), true).applied().get(10, TimeUnit.SECONDS);
        assertThat(journal.quarantined()).as("set aside once, not again on a retry").hasSize(1);
        assertThat(stored()).extracting(Event::fingerprint).containsExactly("next");
        awaitReleased(journal.end());
    }

    @Test
    void storedBatchesAreForcedToTheDiskAtMostOnceASecondAndTheJournalReleasedOnlyAfterwards() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        long t0 = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            ingestor.submit(List.of(firing("b" + i)), true).applied().get(10, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(store.batchSizes).as("one transaction per request").hasSize(20);
        assertThat(store.forces.get()).as("20 transactions in %.2f s", seconds).isLessThanOrEqualTo(1 + (int) seconds);
        assertThat(journal.released()).as("released only as far as forced").isLessThanOrEqualTo(store.forcedUpTo);

        awaitReleased(journal.end()); // forced within a second or so of the last batch, with nothing more coming
        assertThat(store.forcedUpTo).isEqualTo(journal.end());
    }

    @Test
    void aFailedForceKeepsTheJournalUntilALaterForceSucceeds() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.forceFailsNext = true;
        ingestor.submit(List.of(firing("x")), true).applied().get(10, TimeUnit.SECONDS);
        awaitReleased(journal.end());
        assertThat(store.forceAttempts.get()).as("the failed force, then one that succeeded").isGreaterThanOrEqualTo(2);
        assertThat(store.forcedUpTo).isEqualTo(journal.end());
    }

    @Test
    void closingForcesWhatWasStored() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        ingestor.submit(List.of(firing("x")), true).applied().get(10, TimeUnit.SECONDS);
        // within its first second the applier does not force by itself, so only the close can force this; on a
        // machine so slow that a second passed first, the test is skipped rather than passed without testing anything
        assumeThat(store.forces.get()).as("forced before the close").isZero();
        ingestor.close(Duration.ofSeconds(5));
        assertThat(store.forcedUpTo).isEqualTo(journal.end());
        assertThat(journal.released()).isEqualTo(journal.end());
    }

    /** The journal is released after a force; forcing waits for a quiet second, so this polls. */
    private void awaitReleased(long position) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> journal.released() >= position);
        assertThat(journal.released()).isEqualTo(position);
    }

    @Test
    void storingThatFailsOnEveryTryIsStalledNotPausedUntilABatchIsStored() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.errorEvery = new StackOverflowError("every try"); // not the store being down: health must say so too
        var receipt = ingestor.submit(List.of(firing("stuck")), true);
        await().atMost(Duration.ofSeconds(10)).until(() -> ingestor.storingStalledFor().compareTo(Duration.ofMillis(500)) > 0);
        assertThat(ingestor.storingPausedFor()).isZero();
        store.errorEvery = null;
        assertThat(receipt.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> ingestor.storingStalledFor().isZero());
    }

    @Test
    void aStoreThatNeitherAnswersNorFailsIsSeenAsStalled() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        assertThat(ingestor.storingStalledFor()).isZero();
        var first = occupyApplier(ingestor); // the transaction waits, as on a lock someone holds
        Thread.sleep(100);
        assertThat(ingestor.storingStalledFor()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(ingestor.storingPausedFor()).isZero();
        store.release.countDown();
        first.applied().get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(5)).until(() -> ingestor.storingStalledFor().isZero());
    }

    @Test
    void whileWritesToTheJournalFailAcceptingIsKnownToFailUntilOneWorks() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        journal.failAppends(new java.io.IOException("No space left on device"));
        var refused = ingestor.submit(List.of(firing("refused")), false);
        assertThatThrownBy(refused.durable()::join).hasRootCauseMessage("No space left on device");
        assertThat(ingestor.acceptingFailingFor()).isPositive();
        journal.failAppends(null);
        assertThat(ingestor.submit(List.of(firing("accepted")), true).applied().get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(ingestor.acceptingFailingFor()).isZero();
    }

    @Test
    void aCheckpointBeyondTheJournalsEndDoesNotSwallowNewRecords() throws Exception {
        // the journal lost records the store had applied (damage cut its tail off): its end is behind the checkpoint
        journal.append(List.of(firing("stored-before"))).get();
        store.delegate.inTransaction(tx -> {
            tx.setJournalCheckpoint(journal.id(), journal.end() + 1_000);
            return null;
        });
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        assertThat(journal.end()).isEqualTo(store.delegate.journalCheckpoint(journal.id()));
        var receipt = ingestor.submit(List.of(firing("after-restart")), true);
        assertThat(receipt.applied().get(10, TimeUnit.SECONDS)).extracting(Event::fingerprint).containsExactly("after-restart");
        assertThat(ingestor.backlogBytes()).isZero();
    }

    @Test
    void anErrorWhileApplyingDoesNotKillTheApplier() throws Exception {
        var ingestor = ingestor(Long.MAX_VALUE, 10);
        store.errorNext = new StackOverflowError("deep payload");
        var receipt = ingestor.submit(List.of(firing("survivor")), true);
        assertThat(receipt.applied().get(20, TimeUnit.SECONDS)).hasSize(1);
        assertThat(ingestor.submit(List.of(firing("next")), true).applied().get(10, TimeUnit.SECONDS)).hasSize(1);
    }

    @Test
    void aThrowingListenerFailsNothing() throws Exception {
        var ingestor = new EventIngestor(journal, store, GROUPING, Long.MAX_VALUE, 10, batch -> {
            throw new IllegalStateException("listener broke");
        });
        opened.add(ingestor);
        assertThat(ingestor.submit(List.of(firing("x")), true).applied().get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(ingestor.submit(List.of(firing("y")), true).applied().get(10, TimeUnit.SECONDS)).hasSize(1);
    }

    /** The in-memory store, with a way to hold the applier inside one transaction or fail some. */
    private static final class GatedStore extends EventStoreContract.DelegatingEventStore {
        final InMemoryEventStore delegate;
        final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        final CountDownLatch held = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger failures = new AtomicInteger();
        volatile boolean holdNext;
        volatile boolean readsFail;
        /** Failed transactions say the store could not be reached, as the JDBC store does for a lost connection. */
        volatile boolean failUnreachable;
        volatile Error errorNext;
        /** Every transaction fails while set, as in a database that answers reads but takes no writes (read-only). */
        volatile boolean writesFail;
        /** Every transaction fails with this, until it is cleared. */
        volatile Error errorEvery;
        /** The next transaction commits, then reports that it could not be forced to the disk. */
        volatile boolean notDurableNext;
        /** Events with this fingerprint cannot be stored (a poison record), while the store itself is fine. */
        volatile String poison;
        final AtomicInteger forceAttempts = new AtomicInteger();
        final AtomicInteger forces = new AtomicInteger();
        /** The journal checkpoint the store held at its last successful force. */
        volatile long forcedUpTo;
        /** The next force fails, as a failed fsync. */
        volatile boolean forceFailsNext;

        private final String journalId;

        GatedStore(InMemoryEventStore delegate, String journalId) {
            super(delegate);
            this.delegate = delegate;
            this.journalId = journalId;
        }

        @Override
        public <T> T inTransaction(Function<Transaction, T> work) {
            if (holdNext) {
                holdNext = false;
                held.countDown();
                try {
                    if (!release.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("test never released the applier");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw failUnreachable ? new io.onloop.domain.store.StoreUnreachableException("connection lost")
                        : new IllegalStateException("store down");
            }
            if (writesFail) {
                throw new IllegalStateException("cannot execute INSERT in a read-only transaction");
            }
            if (errorEvery != null) {
                throw errorEvery;
            }
            if (errorNext != null) {
                Error e = errorNext;
                errorNext = null;
                throw e;
            }
            AtomicInteger events = new AtomicInteger();
            T result = delegate.inTransaction(tx -> work.apply(new CountingTx(tx, events, poison)));
            batchSizes.add(events.get());
            if (notDurableNext) {
                notDurableNext = false;
                throw new NotDurableException("fsync failed", new java.io.IOException("disk"));
            }
            return result;
        }

        @Override
        public void force() {
            forceAttempts.incrementAndGet();
            if (forceFailsNext) {
                forceFailsNext = false;
                throw new NotDurableException("fsync failed", new java.io.IOException("disk"));
            }
            forcedUpTo = delegate.journalCheckpoint(journalId);
            forces.incrementAndGet();
        }

        @Override
        public long journalCheckpoint(String journalId) {
            if (readsFail) {
                throw new IllegalStateException("store down");
            }
            return delegate.journalCheckpoint(journalId);
        }
    }

    /** Counts the events a transaction inserts. */
    private record CountingTx(EventStore.Transaction tx, AtomicInteger events, String poison)
            implements EventStore.Transaction {
        @Override
        public void insertEvent(Event event) {
            if (event.fingerprint().equals(poison)) {
                throw new IllegalArgumentException("cannot store this one");
            }
            events.incrementAndGet();
            tx.insertEvent(event);
        }

        @Override
        public void insertIncident(Incident incident) {
            tx.insertIncident(incident);
        }

        @Override
        public void updateIncident(Incident incident) {
            tx.updateIncident(incident);
        }

        @Override
        public Optional<Incident> lockIncident(String tenantId, UUID id) {
            return tx.lockIncident(tenantId, id);
        }

        @Override
        public void prefetchOpenIncidents(String tenantId, java.util.Collection<String> fingerprints) {
            tx.prefetchOpenIncidents(tenantId, fingerprints);
        }

        @Override
        public Optional<Incident> openIncidentWithFingerprint(String tenantId, String fingerprint) {
            return tx.openIncidentWithFingerprint(tenantId, fingerprint);
        }

        @Override
        public Optional<Incident> openIncidentWithGroupKey(String tenantId, String groupKey) {
            return tx.openIncidentWithGroupKey(tenantId, groupKey);
        }

        @Override
        public Optional<AlertState> alert(String tenantId, UUID incidentId, String fingerprint) {
            return tx.alert(tenantId, incidentId, fingerprint);
        }

        @Override
        public void putAlert(String tenantId, UUID incidentId, String fingerprint, AlertState state) {
            tx.putAlert(tenantId, incidentId, fingerprint, state);
        }

        @Override
        public Optional<java.time.Instant> episodeEnded(String tenantId, String fingerprint) {
            return tx.episodeEnded(tenantId, fingerprint);
        }

        @Override
        public void recordEpisodeEnd(String tenantId, String fingerprint, java.time.Instant at) {
            tx.recordEpisodeEnd(tenantId, fingerprint, at);
        }

        @Override
        public void recordRepeat(Event repeat, UUID repeatedEventId) {
            tx.recordRepeat(repeat, repeatedEventId);
        }

        @Override
        public void finishRepeats(String tenantId, UUID eventId, int repeats, Instant lastSeenAt) {
            tx.finishRepeats(tenantId, eventId, repeats, lastSeenAt);
        }

        @Override
        public void appendTimeline(TimelineEntry entry) {
            tx.appendTimeline(entry);
        }

        @Override
        public void appendAudit(AuditEntry entry) {
            tx.appendAudit(entry);
        }

        @Override
        public void setJournalCheckpoint(String journalId, long position) {
            tx.setJournalCheckpoint(journalId, position);
        }

        @Override
        public Pruned prune(String tenantId, Instant cutoff, int limit) {
            return tx.prune(tenantId, cutoff, limit);
        }
    }
}
