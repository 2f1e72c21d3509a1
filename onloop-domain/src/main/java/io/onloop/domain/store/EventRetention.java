package io.onloop.domain.store;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps a tenant's events and incidents for a retention period: an incident resolved longer ago than that goes
 * with everything of its own, and so does an event that old in no incident ({@link EventStore.Transaction#prune}).
 * It works in transactions of at most {@code batch} incidents and {@code batch} events, so it never holds the store
 * for long, and each writes an audit line with what it deleted: an operator looking for an old incident finds why
 * it is gone.
 */
public final class EventRetention {
    public static final String ACTOR = "retention";

    private final EventStore store;
    private final Duration keep;
    private final int batch;
    private final Clock clock;

    public EventRetention(EventStore store, Duration keep, int batch, Clock clock) {
        if (keep.isNegative() || keep.isZero()) {
            throw new IllegalArgumentException("retention must be positive: " + keep);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("retention batch must be at least 1: " + batch);
        }
        this.store = Objects.requireNonNull(store);
        this.keep = keep;
        this.batch = batch;
        this.clock = Objects.requireNonNull(clock);
    }

    /** Deletes everything of the tenant past the retention period, batch by batch; returns the totals. */
    public Pruned prune(String tenantId) {
        Instant cutoff = clock.instant().minus(keep);
        Pruned total = Pruned.NONE;
        while (true) {
            Pruned done = store.inTransaction(tx -> {
                Pruned p = tx.prune(tenantId, cutoff, batch);
                if (!p.isEmpty()) {
                    Instant now = clock.instant();
                    tx.appendAudit(new AuditEntry(Ids.newId(now), tenantId, now, ACTOR, "retention.prune", "store", "",
                            "deleted " + p.incidents() + " incidents resolved and " + p.events()
                                    + " events received before " + cutoff + " (kept for " + keep + ")"));
                }
                return p;
            });
            if (done.isEmpty()) {
                return total;
            }
            total = total.plus(done);
        }
    }
}
