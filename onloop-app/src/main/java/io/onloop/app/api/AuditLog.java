package io.onloop.app.api;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Writes configuration changes to the append-only audit log. A change and its entry go through
 * {@link #inOneTransaction}, so neither is ever committed without the other. Never pass a secret.
 */
@Component
public class AuditLog {
    private final EventStore store;
    private final Transactions transactions;
    private final Clock clock;

    public AuditLog(EventStore store, Transactions transactions, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Runs a change and the {@link #record} calls that describe it in one transaction. */
    public <T> T inOneTransaction(Supplier<T> change) {
        return transactions.inOne(change);
    }

    /** Inside {@link #inOneTransaction}: committed with the change; outside it: on its own. */
    public void record(String tenantId, String actor, String action, String targetType, String targetId,
                       String detail) {
        Instant now = clock.instant();
        var entry = new AuditEntry(Ids.newId(now), tenantId, now, actor, action, targetType, targetId, detail);
        store.inTransaction(tx -> {
            tx.appendAudit(entry);
            return null;
        });
    }
}
