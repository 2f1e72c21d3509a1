package io.onloop.domain.ingest;

import io.onloop.domain.event.Event;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.NotDurableException;
import io.onloop.domain.store.StoreUnreachableException;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Ingest in two steps. {@link #submit} appends a request's events to the {@link EventJournal}
 * (group-committed: many requests share one fsync) and completes once they are on disk; that is
 * when the sender gets its 2xx. One applier thread then reads the journal in order, groups the
 * events into incidents and stores large batches, each in one transaction that also records how
 * far the journal has been applied. After a crash the applier resumes from that checkpoint, so
 * every accepted event is stored exactly once. A batch may hold as many events as the batch before
 * would have stored in {@link #BATCH_TIME} (within bounds): when storing falls behind, batches grow,
 * and the repeats of a storm's alerts coalesce into one update per alert and batch.
 *
 * <p>Accepting is bounded by the backlog (journal bytes not yet applied): beyond it requests fail
 * with {@link OverloadedException}, and senders retry later.
 */
public final class EventIngestor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventIngestor.class.getName());
    private static final Duration POLL = Duration.ofMillis(100);
    /**
     * The longest wait between two tries of a store that is down. Each try of a store that cannot be reached also
     * waits for its connection timeout (the server's: 5 s), so this keeps storing within seconds of its return.
     */
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    /**
     * How often what was stored is forced to the disk. Until then it may be in the database's memory only; the
     * journal, on the disk, can redo it. On embedded H2 this is what keeps the file from growing by a chunk per
     * batch (docs/benchmarks.md, "The embedded store's file").
     */
    private static final Duration FORCE_EVERY = Duration.ofSeconds(1);
    /**
     * About how long one store transaction should take (with the force that may follow it), at the rate of the one
     * before: it holds the locks of its incidents, and a person acknowledging one waits for them. Larger batches
     * store more events per second (docs/benchmarks.md, Ingest, "session 15").
     */
    private static final Duration BATCH_TIME = Duration.ofSeconds(2);
    /** The smallest bound on a batch's events (or maxBatchEvents, if smaller); also the bound after a batch failed. */
    private static final int MIN_BATCH_EVENTS = 2000;
    /** Batches grow beyond MIN_BATCH_EVENTS only to about this much of the journal (memory), at the last one's size per event. */
    private static final long MAX_BATCH_BYTES = 32L << 20;

    /** The backlog is full: the caller should answer 503 with Retry-After. */
    public static final class OverloadedException extends RuntimeException {
        public OverloadedException() {
            super("ingest backlog is full");
        }
    }

    /**
     * @param durable completes when the events are on disk (accepted)
     * @param applied completes with the stored events (incident ids set) once grouped and stored;
     *                null unless asked for
     */
    public record Receipt(CompletableFuture<Void> durable, CompletableFuture<List<Event>> applied) {
    }

    private final EventJournal journal;
    private final EventStore store;
    private final IncidentGrouping grouping;
    private final long maxBacklogBytes;
    private final int maxBatchEvents;
    /** The next batch's bound on events (applier thread only). */
    private int batchEvents;
    private final Consumer<List<Event>> afterApply;
    /** Requests whose caller waits for the apply, by their first event's id. */
    private final Map<UUID, CompletableFuture<List<Event>>> awaitingApply = new ConcurrentHashMap<>();
    private final Thread applier;
    private volatile long applied;
    /** The journal position up to which the store is on the disk (applier thread only). */
    private long forced;
    private long forcedNanos = System.nanoTime();
    /** System.nanoTime() when the applier last stored something; 0 before it ever did. */
    private volatile long lastStoredNanos;
    /** Written by the applier thread: when storing was paused because the store was down; 0 while it is not. */
    private volatile long pausedNanos;
    /** Since when accepted events have waited without a batch stored; 0 while nothing waits (applier thread writes). */
    private volatile long waitingSinceNanos;
    /** When the last append to the journal failed writing (a full disk, an I/O error); 0 if the last one worked. */
    private volatile long journalFailedNanos;
    /** When appends began to fail, if the last one failed. */
    private volatile long journalFailingSinceNanos;
    /** Records set aside since start, and since the last batch that was stored (applier thread writes). */
    private volatile long quarantined;
    private volatile int quarantinedInARow;
    private volatile long lastQuarantinedNanos;
    private volatile boolean running = true;
    private volatile boolean draining = true;

    /**
     * @param afterApply called on the applier thread with each stored batch (for later stages);
     *                   must be quick and must not throw
     */
    public EventIngestor(EventJournal journal, EventStore store, IncidentGrouping grouping, long maxBacklogBytes,
                         int maxBatchEvents, Consumer<List<Event>> afterApply) {
        this.journal = journal;
        this.store = store;
        this.grouping = grouping;
        this.maxBacklogBytes = maxBacklogBytes;
        this.maxBatchEvents = maxBatchEvents;
        this.batchEvents = minBatchEvents();
        this.afterApply = afterApply;
        this.applied = store.journalCheckpoint(journal.id());
        if (applied > journal.end()) {
            // Left as it was, every new record would sit below the checkpoint: accepted, and never stored.
            LOG.severe("the store has applied the ingest journal up to " + applied + ", but the journal ends at "
                    + journal.end() + ": its last records were lost after they were stored (damage on the disk);"
                    + " new records are written from " + applied);
            journal.skipTo(applied);
        }
        this.forced = applied;
        this.applier = Thread.ofPlatform().name("onloop-event-applier").daemon().start(this::applyLoop);
    }

    /** Accepts the events: see {@link Receipt}. */
    public Receipt submit(List<Event> events, boolean awaitApply) {
        if (events.isEmpty()) {
            return new Receipt(CompletableFuture.completedFuture(null),
                    awaitApply ? CompletableFuture.completedFuture(List.of()) : null);
        }
        if (!running) {
            return failed(new IllegalStateException("ingestor is shut down"));
        }
        if (overloaded()) {
            return failed(new OverloadedException());
        }
        CompletableFuture<List<Event>> appliedFuture = null;
        if (awaitApply) {
            appliedFuture = new CompletableFuture<>();
            awaitingApply.put(events.getFirst().id(), appliedFuture);
        }
        CompletableFuture<Void> durable = journal.append(List.copyOf(events))
                .whenComplete((position, e) -> noteAppend(e)).thenApply(position -> null);
        if (appliedFuture != null) {
            CompletableFuture<List<Event>> f = appliedFuture;
            durable.whenComplete((ok, e) -> {
                if (e != null) {
                    awaitingApply.remove(events.getFirst().id());
                    f.completeExceptionally(e);
                }
            });
        }
        return new Receipt(durable, appliedFuture);
    }

    private static Receipt failed(RuntimeException e) {
        return new Receipt(CompletableFuture.failedFuture(e), CompletableFuture.failedFuture(e));
    }

    /**
     * Whether the backlog is over its bound, so that {@link #submit} refuses. A caller may ask before it reads and parses a
     * request: in a storm, the requests refused cost the CPU that storing, which sets the rate, needs.
     */
    public boolean overloaded() {
        return backlogBytes() > maxBacklogBytes;
    }

    /** Journal bytes accepted but not yet stored. */
    public long backlogBytes() {
        return Math.max(0, journal.end() - applied);
    }

    /** How long storing has been paused because the store cannot be reached; zero while it is not. */
    public Duration storingPausedFor() {
        long since = pausedNanos;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * How long every append to the journal has failed writing (a full disk, an I/O error): requests are refused with
     * 503 until one works again. Zero while the last one worked, or when it failed more than {@link #FAILED_RECENTLY}
     * ago: with nothing sent since (a load balancer took the instance out), whether the disk has room again is unknown.
     */
    public Duration acceptingFailingFor() {
        long last = journalFailedNanos;
        long now = System.nanoTime();
        return last == 0 || now - last > FAILED_RECENTLY.toNanos() ? Duration.ZERO
                : Duration.ofNanos(now - journalFailingSinceNanos);
    }

    static final Duration FAILED_RECENTLY = Duration.ofMinutes(1);

    /** Keeps {@link #acceptingFailingFor} up to date with how an append to the journal ended. */
    private void noteAppend(Throwable e) {
        if (e == null) {
            if (journalFailedNanos != 0) {
                journalFailedNanos = 0;
            }
        } else if (causedByIo(e)) { // not a record too large, not a journal closing
            long now = System.nanoTime();
            if (journalFailedNanos == 0) {
                journalFailingSinceNanos = now;
            }
            journalFailedNanos = now;
        }
    }

    private static boolean causedByIo(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) { // an UncheckedIOException's cause is an IOException
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
    }

    /** Journal records set aside since start because the store refused them while it took other writes. */
    public long quarantinedRecords() {
        return quarantined;
    }

    /**
     * How many records in a row have been set aside with none stored between them, the last within
     * {@link #FAILED_RECENTLY}: many means the database refuses everything (a constraint, a trigger, a column too
     * narrow) while it takes other writes, and no alert is stored. Zero once a batch is stored, or when the last was
     * set aside longer ago than that (with nothing sent since, whether it would still be refused is unknown).
     */
    public int quarantinedInARow() {
        int n = quarantinedInARow;
        return n == 0 || System.nanoTime() - lastQuarantinedNanos > FAILED_RECENTLY.toNanos() ? 0 : n;
    }

    /**
     * How long accepted events have waited with no batch stored, whatever the reason: a store that is down (also
     * {@link #storingPausedFor}), a failure on every try, or a store that neither answers nor fails (a transaction
     * waiting on a lock someone holds in PostgreSQL). Zero while nothing waits.
     */
    public Duration storingStalledFor() {
        long since = waitingSinceNanos;
        return since == 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    /**
     * How long storing has had nothing to do: zero while accepted events wait to be stored, otherwise the
     * time since the last batch was stored. Work that competes with storing for the database (recipes)
     * waits for a quiet stretch rather than slipping in between two batches of a storm.
     */
    public Duration storingIdleFor() {
        if (backlogBytes() > 0) {
            return Duration.ZERO;
        }
        long last = lastStoredNanos;
        return last == 0 ? ChronoUnit.FOREVER.getDuration() : Duration.ofNanos(System.nanoTime() - last);
    }

    private void applyLoop() {
        Duration backoff = Duration.ofMillis(100);
        while (draining) {
            try {
                if (journal.end() <= applied) {
                    waitingSinceNanos = 0;
                    if (!running) {
                        forceIfDue(true);
                        return; // closed and everything accepted is stored
                    }
                    forceIfDue(false);
                    journal.awaitBeyond(applied, POLL);
                    continue;
                }
                if (waitingSinceNanos == 0) {
                    waitingSinceNanos = System.nanoTime();
                }
                List<EventJournal.Record> batch = journal.read(applied, batchEvents);
                if (applyEach(batch)) {
                    backoff = Duration.ofMillis(100);
                    resumed();
                } else {
                    TimeUnit.MILLISECONDS.sleep(backoff.toMillis());
                    backoff = longer(backoff);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never let the applier die: accepted events would wait for ever.
                LOG.log(Level.SEVERE, "event applier failed; retrying", e);
                batchEvents = minBatchEvents(); // it may have been the batch's size (memory)
                sleepQuietly(backoff);
                backoff = longer(backoff);
            }
        }
    }

    /**
     * Stores the batch in one transaction; if that fails, record by record, so one bad record
     * cannot hold up the rest. False when the store itself is failing (the caller backs off).
     */
    private boolean applyEach(List<EventJournal.Record> batch) {
        try {
            store(batch);
            return true;
        } catch (RuntimeException e) {
            if (e instanceof StoreUnreachableException) {
                return paused(e); // record by record would only wait for the same store once per record
            }
            if (batch.size() > 1) {
                try {
                    for (EventJournal.Record r : batch) {
                        if (!applyEach(List.of(r))) {
                            return false;
                        }
                    }
                    return true;
                } finally {
                    // records stored one by one say nothing of a batch's rate, and the size may have been the trouble
                    batchEvents = minBatchEvents();
                }
            }
            return quarantineIfPoison(batch.getFirst(), e);
        }
    }

    /**
     * What writing to the store fails with now, if it does: a transaction that writes the checkpoint where it is.
     * A read is not enough: a database that answers reads but takes no writes (read-only, out of space) would have
     * every record set aside as if each were the problem.
     */
    private RuntimeException storeFailure() {
        try {
            store.inTransactionForcedLater(tx -> {
                tx.setJournalCheckpoint(journal.id(), applied);
                return null;
            });
            return null;
        } catch (NotDurableException committed) {
            return null; // it took the write
        } catch (RuntimeException e) {
            return e;
        }
    }

    /**
     * A record fails alone. If the store still takes writes, the record is the problem: set it aside. A store that
     * says it could not be reached (a connection lost mid-batch, a deadlock) is waited for, whatever answers next.
     */
    private boolean quarantineIfPoison(EventJournal.Record r, RuntimeException cause) {
        RuntimeException storeDown = cause instanceof StoreUnreachableException ? cause : storeFailure();
        if (storeDown != null) {
            return paused(storeDown);
        }
        LOG.log(Level.SEVERE, "journal record at " + r.position() + " cannot be stored; quarantined", cause);
        journal.quarantine(r, reason(cause));
        applyUpTo(r.next(), tx -> { }); // nothing is stored: the checkpoint just moves past it
        quarantined++;
        quarantinedInARow++;
        lastQuarantinedNanos = System.nanoTime();
        CompletableFuture<List<Event>> waiting = r.events().isEmpty() ? null : awaitingApply.remove(r.events().getFirst().id());
        if (waiting != null) {
            waiting.completeExceptionally(cause);
        }
        return true;
    }

    /**
     * Why a record was set aside, for whoever opens the quarantine file: each cause's class and message, outermost
     * first (a store's exception wraps the database's, which says what it refused), at most 4,000 characters.
     */
    static String reason(Throwable cause) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = cause; t != null && depth < 5; t = t.getCause() == t ? null : t.getCause(), depth++) {
            out.append(depth == 0 ? "" : "; caused by ").append(t);
        }
        return out.length() <= 4000 ? out.toString() : out.substring(0, 4000) + "...";
    }

    /** Said once per outage, not once per try; accepting goes on into the journal meanwhile. */
    private boolean paused(RuntimeException storeDown) {
        if (pausedNanos == 0) {
            pausedNanos = System.nanoTime();
            LOG.log(Level.WARNING, "store unavailable (unreachable, or taking no writes); storing is paused, accepted events wait in the journal: {0}",
                    storeDown.toString());
        }
        return false;
    }

    private void resumed() {
        if (pausedNanos != 0) {
            LOG.log(Level.INFO, "store available again; storing resumed after {0} s paused",
                    Duration.ofNanos(System.nanoTime() - pausedNanos).toSeconds());
            pausedNanos = 0;
        }
    }

    private void store(List<EventJournal.Record> batch) {
        long next = batch.getLast().next();
        List<List<Event>> stored = new ArrayList<>(batch.size());
        long started = System.nanoTime();
        applyUpTo(next, tx -> {
            batch.stream().flatMap(r -> r.events().stream())
                    .collect(Collectors.groupingBy(Event::tenantId, Collectors.mapping(Event::fingerprint, Collectors.toSet())))
                    .forEach(tx::prefetchOpenIncidents);
            for (EventJournal.Record r : batch) {
                stored.add(r.events().stream().map(e -> grouping.apply(tx, e)).toList());
            }
        });
        long nanos = System.nanoTime() - started;
        quarantinedInARow = 0;
        List<Event> all = stored.stream().flatMap(List::stream).toList();
        resizeBatches(all.size(), next - batch.getFirst().position(), nanos);
        publish(all);
        for (List<Event> events : stored) {
            if (events.isEmpty()) {
                continue; // a record the journal could not decode (it set it aside)
            }
            CompletableFuture<List<Event>> waiting = awaitingApply.remove(events.getFirst().id());
            if (waiting != null) {
                waiting.complete(events);
            }
        }
    }

    /** The next batch may hold as many events as this one's rate stores in BATCH_TIME, within the bounds. */
    private void resizeBatches(int events, long journalBytes, long nanos) {
        long fit = events * BATCH_TIME.toNanos() / Math.max(1, nanos);
        long fitInMemory = MAX_BATCH_BYTES / Math.max(1, journalBytes / Math.max(1, events));
        batchEvents = Math.clamp(Math.min(fit, fitInMemory), minBatchEvents(), maxBatchEvents);
    }

    private int minBatchEvents() {
        return Math.min(MIN_BATCH_EVENTS, maxBatchEvents);
    }

    /**
     * Runs {@code work} and moves the journal checkpoint to {@code next} in one transaction; then the journal
     * is applied up to there. The transaction is forced to the disk later ({@link #forceIfDue}): until then the
     * journal keeps its records, and after a crash the applier resumes from the last checkpoint on the disk.
     */
    private void applyUpTo(long next, Consumer<EventStore.Transaction> work) {
        boolean committedOnly = false;
        try {
            store.inTransactionForcedLater(tx -> {
                work.accept(tx);
                tx.setJournalCheckpoint(journal.id(), next);
                return null;
            });
        } catch (NotDurableException e) {
            // committed, so never applied again; a later force covers it (an fsync covers every earlier write)
            journalKeeps(next, e);
            committedOnly = true;
        }
        lastStoredNanos = System.nanoTime();
        waitingSinceNanos = lastStoredNanos;
        applied = next;
        if (!committedOnly) {
            forceIfDue(false);
        }
    }

    /**
     * Forces what was applied to the disk at most every {@link #FORCE_EVERY} (or now, if {@code now}), then lets
     * the journal release it. If forcing fails, the journal keeps its records until a later force succeeds.
     */
    private void forceIfDue(boolean now) {
        long next = applied;
        if (next == forced || !now && System.nanoTime() - forcedNanos < FORCE_EVERY.toNanos()) {
            return;
        }
        forcedNanos = System.nanoTime();
        try {
            store.force();
        } catch (RuntimeException e) {
            // whatever failed, the batches are committed: never redo them, only keep the journal until a force works
            journalKeeps(next, e);
            return;
        }
        forced = next;
        journal.release(next);
    }

    private static void journalKeeps(long position, RuntimeException notForced) {
        LOG.log(Level.SEVERE, "applied up to journal position " + position + ", but not on the disk yet; the journal keeps it",
                notForced);
    }

    private void publish(List<Event> stored) {
        try {
            afterApply.accept(stored);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "after-apply listener failed", e);
        }
    }

    private static Duration longer(Duration backoff) {
        Duration twice = backoff.multipliedBy(2);
        return twice.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : twice;
    }

    private static void sleepQuietly(Duration d) {
        try {
            TimeUnit.MILLISECONDS.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Stops accepting, then lets the applier store what was accepted for up to {@code drainTimeout}.
     * Anything left is still in the journal and is applied on the next start.
     */
    public void close(Duration drainTimeout) {
        running = false;
        try {
            applier.join(Math.max(1, drainTimeout.toMillis()));
            draining = false;
            applier.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }
}
