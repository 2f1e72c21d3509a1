package io.onloop.app.api;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Writes configuration changes to the append-only audit log. A change and its entry go through
 * {@link #inOneTransaction}, so neither is ever committed without the other. Never pass a secret.
 * <p>
 * Those changes are also made one at a time on this server: many check before they write (a user or source name
 * taken in another case, the last admin, a silence already expired, the next runbook version), and two requests at
 * once must not both pass the check. They are rare and quick; the lock is this server's, as onloop runs as one
 * server on its database.
 */
@Component
public class AuditLog {
    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock();
    private final EventStore store;
    private final Transactions transactions;
    private final Clock clock;

    public AuditLog(EventStore store, Transactions transactions, Clock clock) {
        this.store = store;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Runs a change, its checks and the {@link #record} calls that describe it in one transaction, one at a time. */
    public <T> T inOneTransaction(Supplier<T> change) {
        ONE_AT_A_TIME.lock(); // taken before the transaction begins and held past its commit
        try {
            return transactions.inOne(change);
        } finally {
            ONE_AT_A_TIME.unlock();
        }
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
