package io.onloop.domain.store;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.event.Ids;
import io.onloop.domain.ingest.StoringQuiet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps a tenant's events and incidents for a retention period: an incident resolved longer ago than that goes
 * with everything of its own, and so does an event that old in no incident ({@link EventStore.Transaction#prune}),
 * and a delivery that old that is finished ({@link DeliveryStore#pruneFinished}).
 * It works in transactions of at most {@code batch} incidents (and {@link Pruned#eventBudget} of their events) and
 * {@code batch} events in no incident, so it never holds the store for long, and each writes an audit line with what
 * it deleted: an operator looking for an old incident finds why it is gone. Storing comes first: before each batch
 * after the first it waits for storing to be quiet ({@link StoringQuiet}), but no longer than {@code maxYield}, so
 * that a storm that never ends still leaves room for retention.
 */
public final class EventRetention {
    public static final String ACTOR = "retention";

    private final EventStore store;
    private final DeliveryStore deliveries;
    private final Duration keep;
    private final int batch;
    private final Clock clock;
    private final Supplier<Duration> storingIdleFor;
    private final Duration maxYield;

    /** Events and incidents only, without anything to yield to (no ingest in this process). */
    public EventRetention(EventStore store, Duration keep, int batch, Clock clock) {
        this(store, null, keep, batch, clock, () -> ChronoUnit.FOREVER.getDuration(), Duration.ZERO);
    }

    /**
     * @param deliveries     the outbox, whose finished deliveries go too; null for none
     * @param storingIdleFor how long storing has had nothing to do (zero while accepted events wait to be stored)
     * @param maxYield       the longest wait for a quiet moment before each batch
     */
    public EventRetention(EventStore store, DeliveryStore deliveries, Duration keep, int batch, Clock clock,
                          Supplier<Duration> storingIdleFor, Duration maxYield) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + keep);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("retention batch must be at least 1: " + batch);
        }
        this.store = Objects.requireNonNull(store);
        this.deliveries = deliveries;
        this.keep = keep;
        this.batch = batch;
        this.clock = Objects.requireNonNull(clock);
        this.storingIdleFor = Objects.requireNonNull(storingIdleFor);
        this.maxYield = Objects.requireNonNull(maxYield);
    }

    /** Deletes everything of the tenant past the retention period, batch by batch; returns the totals. */
    public Pruned prune(String tenantId) {
        return prune(tenantId, batch -> { });
    }

    /**
     * As {@link #prune(String)}, telling {@code eachBatch} what each committed batch deleted as it goes: a first pass
     * over a large store takes a long time, and its counters should move while it runs.
     */
    public Pruned prune(String tenantId, Consumer<Pruned> eachBatch) {
        Instant cutoff = clock.instant().minus(keep);
        Pruned total = Pruned.NONE;
        for (boolean first = true; ; first = false) {
            // the first call of a pass goes at once: it may well find nothing, and a storm should not make every
            // tenant's pass wait for that
            if (Thread.currentThread().isInterrupted()
                    || !first && !StoringQuiet.await(storingIdleFor, System.nanoTime() + maxYield.toNanos())) {
                return total; // interrupted: the server is stopping
            }
            // the outbox is another store: its batch commits on its own, just before the transaction whose audit
            // line counts it
            int deliveries = this.deliveries == null ? 0 : this.deliveries.pruneFinished(tenantId, cutoff, batch);
            Pruned done = store.inTransaction(tx -> {
                Pruned p = tx.prune(tenantId, cutoff, batch).plus(Pruned.deliveries(deliveries));
                // lookups of repeats and episode ends go with what they belonged to, or after it: not worth a line
                if (p.incidents() + p.events() + p.deliveries() > 0) {
                    Instant now = clock.instant();
                    tx.appendAudit(new AuditEntry(Ids.newId(now), tenantId, now, ACTOR, "retention.prune", "store", "",
                            "deleted " + p.incidents() + " incidents resolved, " + p.events() + " events received and "
                                    + p.deliveries() + " finished deliveries made before "
                                    + cutoff + " (kept for " + describe(keep) + ")"));
                }
                return p;
            });
            if (done.isEmpty()) {
                return total;
            }
            eachBatch.accept(done);
            total = total.plus(done);
        }
    }

    /** "90 days", or "36h", "20s": what an operator would have written. */
    static String describe(Duration d) {
        return d.toSeconds() % 86_400 == 0 && d.toNanosPart() == 0 ? d.toDays() + (d.toDays() == 1 ? " day" : " days")
                : d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
