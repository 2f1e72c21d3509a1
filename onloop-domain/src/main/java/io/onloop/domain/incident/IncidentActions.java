package io.onloop.domain.incident;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.incident.TimelineEntry.Kind;
import io.onloop.domain.store.EventStore;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What people do to incidents: acknowledge, resolve, comment. Each writes the incident, a timeline
 * line and an audit entry in one transaction. After an acknowledgement commits, the
 * {@link IncidentListener} hears of it (whatever path the person took: API or console).
 */
public final class IncidentActions {
    private static final System.Logger LOG = System.getLogger(IncidentActions.class.getName());

    private final EventStore store;
    private final Clock clock;
    private final IncidentListener listener;

    public IncidentActions(EventStore store, Clock clock) {
        this(store, clock, IncidentListener.NONE);
    }

    public IncidentActions(EventStore store, Clock clock, IncidentListener listener) {
        this.store = store;
        this.clock = clock;
        this.listener = listener;
    }

    /** @return the incident after the action; empty if it does not exist in this tenant. */
    public Optional<Incident> acknowledge(String tenantId, UUID id, String actor) {
        Optional<Incident> done = store.inTransaction(tx -> tx.lockIncident(tenantId, id).map(incident -> {
            if (incident.status() != IncidentStatus.OPEN) {
                throw new IllegalStateException("incident is " + incident.status().id() + ", only an open incident can be acknowledged");
            }
            Instant now = clock.instant();
            Incident updated = incident.acknowledged(now, actor);
            tx.updateIncident(updated);
            tx.appendTimeline(line(incident, now, Kind.ACKNOWLEDGED, actor, "Acknowledged"));
            tx.appendAudit(audit(tenantId, now, actor, "incident.acknowledge", id, ""));
            return updated;
        }));
        done.ifPresent(this::tellListener);
        return done;
    }

    /** The acknowledgement is committed whatever the listener does; its failure is logged, not thrown. */
    private void tellListener(Incident incident) {
        try {
            listener.acknowledged(incident);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "acknowledgement of incident " + incident.id()
                    + " was not passed on: " + e.getMessage());
        }
    }

    public Optional<Incident> resolve(String tenantId, UUID id, String actor, String note) {
        return store.inTransaction(tx -> tx.lockIncident(tenantId, id).map(incident -> {
            if (incident.status() == IncidentStatus.RESOLVED) {
                throw new IllegalStateException("incident is already resolved");
            }
            Instant now = clock.instant();
            Incident updated = incident.resolved(now, actor);
            tx.updateIncident(updated);
            String text = note == null || note.isBlank() ? "Resolved" : "Resolved: " + note;
            tx.appendTimeline(line(incident, now, Kind.RESOLVED, actor, text));
            tx.appendAudit(audit(tenantId, now, actor, "incident.resolve", id, note));
            return updated;
        }));
    }

    public Optional<TimelineEntry> comment(String tenantId, UUID id, String actor, String text) {
        return store.inTransaction(tx -> tx.lockIncident(tenantId, id).map(incident -> {
            Instant now = clock.instant();
            TimelineEntry line = line(incident, now, Kind.COMMENT, actor, text);
            tx.appendTimeline(line);
            tx.appendAudit(audit(tenantId, now, actor, "incident.comment", id, ""));
            return line;
        }));
    }

    /** A timeline line written by a person, not caused by an event. */
    private static TimelineEntry line(Incident incident, Instant at, Kind kind, String actor, String text) {
        return new TimelineEntry(Ids.newId(at), incident.tenantId(), incident.id(), at, kind, actor, text, null);
    }

    private static AuditEntry audit(String tenantId, Instant at, String actor, String action, UUID id, String detail) {
        return new AuditEntry(Ids.newId(at), tenantId, at, actor, action, "incident", id.toString(), detail);
    }
}
