package io.onloop.adapters.store.jdbc;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Event;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.TimelineEntry;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.store.Page;

import javax.sql.DataSource;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/** Work in progress. */
final class JdbcEventStore implements EventStore {
    private final DataSource dataSource;

    JdbcEventStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override public <T> T inTransaction(Function<Transaction, T> work) { throw new UnsupportedOperationException(); }
    @Override public Optional<Event> findEvent(String tenantId, UUID id) { throw new UnsupportedOperationException(); }
    @Override public Page<Event> findEvents(EventQuery query) { throw new UnsupportedOperationException(); }
    @Override public Optional<Incident> findIncident(String tenantId, UUID id) { throw new UnsupportedOperationException(); }
    @Override public Page<Incident> findIncidents(IncidentQuery query) { throw new UnsupportedOperationException(); }
    @Override public List<TimelineEntry> timeline(String tenantId, UUID incidentId) { throw new UnsupportedOperationException(); }
    @Override public Page<AuditEntry> auditLog(String tenantId, int limit, String cursor) { throw new UnsupportedOperationException(); }
}
