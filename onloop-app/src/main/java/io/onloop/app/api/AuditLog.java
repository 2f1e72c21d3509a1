package io.onloop.app.api;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.store.EventStore;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Instant;

/** Writes configuration changes to the append-only audit log, each in its own transaction. Never pass a secret. */
@Component
public class AuditLog {
    private final EventStore store;
    private final Clock clock;

    public AuditLog(EventStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

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
