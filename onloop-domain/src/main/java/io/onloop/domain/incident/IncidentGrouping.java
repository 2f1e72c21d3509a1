package io.onloop.domain.incident;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.TimelineEntry.Kind;
import io.onloop.domain.store.EventStore;

import java.time.Instant;
import java.util.Optional;

/**
 * Decides which incident an event belongs to and records it, inside the caller's transaction.
 * <ul>
 *   <li>firing: joins the open incident with its fingerprint, else the open incident with its group
 *       key (within the group window), else opens a new one. An unchanged repeat of the event that
 *       last fired the alert is counted on that event instead of stored as one of its own. One of an episode that a
 *       resolve already ended (by the senders' clocks: a late retry, SNS's reordering) is recorded and changes nothing:
 *       in the open incident holding its fingerprint if there is one, else unattached.</li>
 *   <li>resolved: marks its alert resolved in the open incident holding its fingerprint; the
 *       incident resolves when no alert in it is firing. With nothing open it is stored, unattached. One that ended
 *       before the alert's current episode began (by the senders' clocks) is stored in the incident and changes
 *       nothing.</li>
 *   <li>informational: attached to the open incident with its fingerprint if there is one; never opens one.</li>
 * </ul>
 */
public final class IncidentGrouping {
    public static final String SOURCE_ACTOR = "source";

    private final GroupingPolicy policy;

    public IncidentGrouping(GroupingPolicy policy) {
        this.policy = policy;
    }

    public GroupingPolicy policy() {
        return policy;
    }

    /**
     * Stores the event, grouped; returns it with its incident id set (or null). A late or stale one (see the class
     * comment) is stored as it came and returned as informational, so that later stages notify nothing about it.
     */
    public Event apply(EventStore.Transaction tx, Event event) {
        return switch (event.status()) {
            case FIRING -> firing(tx, event);
            case RESOLVED -> resolved(tx, event);
            case INFORMATIONAL -> informational(tx, event);
        };
    }

    private Event firing(EventStore.Transaction tx, Event event) {
        String tenant = event.tenantId();
        Optional<Incident> open = tx.openIncidentWithFingerprint(tenant, event.fingerprint());
        Optional<String> late = late(tx, open, event);
        if (late.isPresent()) {
            return lateFiring(tx, open, event, late.get());
        }
        String groupKey = policy.groupKey(event.labels());
        if (open.isEmpty() && groupKey != null) {
            open = tx.openIncidentWithGroupKey(tenant, groupKey)
                    .filter(i -> !i.lastEventAt().plus(policy.groupWindow()).isBefore(event.receivedAt()));
        }
        if (open.isEmpty()) {
            Incident created = new Incident(Ids.newId(event.receivedAt()), tenant, groupKey, event.title(),
                    event.severity(), IncidentStatus.OPEN, event.source(), event.resource(),
                    groupKey == null ? event.labels() : policy.groupLabels(event.labels()), event.receivedAt(),
                    event.receivedAt(), null, null, null, null, 1, 1, 1);
            Event stored = event.withIncident(created.id());
            tx.insertIncident(created);
            tx.insertEvent(stored);
            tx.putAlert(tenant, created.id(), event.fingerprint(), AlertState.startedBy(stored, true));
            timeline(tx, stored, Kind.OPENED, event.title());
            return stored;
        }
        Incident incident = open.get();
        Event stored = event.withIncident(incident.id());
        Optional<AlertState> before = tx.alert(tenant, incident.id(), event.fingerprint());
        if (before.isPresent() && before.get().repeatedBy(event)) {
            tx.recordRepeat(stored, before.get().eventId());
            tx.putAlert(tenant, incident.id(), event.fingerprint(), before.get().repeatedAt(event.receivedAt()));
        } else {
            tx.insertEvent(stored);
            moveOn(tx, tenant, before);
            tx.putAlert(tenant, incident.id(), event.fingerprint(), AlertState.startedBy(stored, true));
        }
        boolean wasFiring = before.map(AlertState::firing).orElse(false);
        int alerts = incident.alertCount() + (before.isEmpty() ? 1 : 0);
        int firingCount = incident.firingCount() + (wasFiring ? 0 : 1);
        Incident updated = incident.withCounts(Severity.max(incident.severity(), event.severity()),
                event.receivedAt(), incident.eventCount() + 1, alerts, firingCount);
        if (alerts == 1 && !event.title().isEmpty()) {
            // an incident of one alert is titled as that alert fires now ("disk reaches its limit in about 20m", not
            // the hours its first warning said); one of several keeps the title it opened with
            updated = updated.withTitle(event.title());
        }
        tx.updateIncident(updated);
        if (before.isEmpty()) {
            timeline(tx, stored, Kind.ALERT_ADDED, event.title());
        } else if (!wasFiring) {
            timeline(tx, stored, Kind.ALERT_REFIRED, event.title());
        }
        return stored;
    }

    /**
     * Why this firing changes nothing, if so: by its sender's time it is older than what is known of its alert. Either
     * the alert is firing with a later start (any sender: an older delivery arrived late), or, for senders whose times
     * are state changes ({@link SourceType#timesStateChanges}), a resolve ended its episode already.
     */
    private static Optional<String> late(EventStore.Transaction tx, Optional<Incident> open, Event event) {
        Instant began = AlertState.sendersTime(event);
        if (began == null) {
            return Optional.empty();
        }
        Optional<AlertState> now = open.flatMap(i -> tx.alert(event.tenantId(), i.id(), event.fingerprint()));
        if (now.isPresent() && now.get().firing()) {
            Instant current = now.get().occurredAt();
            return current != null && began.isBefore(current) ? Optional.of("A late firing, of an episode that began at "
                    + began + ", before the one firing now (" + current + "), changed nothing") : Optional.empty();
        }
        if (!event.source().timesStateChanges()) {
            return Optional.empty();
        }
        return tx.episodeEnded(event.tenantId(), event.fingerprint()).filter(end -> !began.isAfter(end))
                .map(end -> "A late firing, of an episode that began at " + began + " and ended at " + end
                        + ", changed nothing");
    }

    /** Recorded (in the open incident of its alert, with a timeline line, if there is one); notifies nothing. */
    private static Event lateFiring(EventStore.Transaction tx, Optional<Incident> open, Event event, String why) {
        if (open.isEmpty()) {
            tx.insertEvent(event);
            return event.asInformational();
        }
        return recordedIn(tx, open.get(), event, why).asInformational();
    }

    /** Stored in the incident with a timeline line, changing nothing else of it. */
    private static Event recordedIn(EventStore.Transaction tx, Incident incident, Event event, String line) {
        Event stored = event.withIncident(incident.id());
        tx.insertEvent(stored);
        tx.updateIncident(incident.withCounts(incident.severity(), event.receivedAt(), incident.eventCount() + 1,
                incident.alertCount(), incident.firingCount()));
        timeline(tx, stored, Kind.INFO, line);
        return stored;
    }

    /** The alert's state is replaced: the repeats counted under the old one are written onto its event. */
    private static void moveOn(EventStore.Transaction tx, String tenant, Optional<AlertState> before) {
        before.filter(a -> a.repeats() > 0)
                .ifPresent(a -> tx.finishRepeats(tenant, a.eventId(), a.repeats(), a.lastSeenAt()));
    }

    private Event resolved(EventStore.Transaction tx, Event event) {
        String tenant = event.tenantId();
        Optional<Incident> open = tx.openIncidentWithFingerprint(tenant, event.fingerprint());
        if (open.isEmpty()) {
            tx.insertEvent(event); // recorded, never turned into a firing incident
            endEpisode(tx, event); // and its firing, should it arrive late, opens none either
            return event;
        }
        Incident incident = open.get();
        Optional<AlertState> before = tx.alert(tenant, incident.id(), event.fingerprint());
        if (before.isPresent() && before.get().staleResolve(event)) {
            return recordedIn(tx, incident, event, "A late resolve, of an episode that ended at " + event.occurredAt()
                    + " before this one began at " + before.get().occurredAt() + ", changed nothing").asInformational();
        }
        Event stored = event.withIncident(incident.id());
        tx.insertEvent(stored);
        endEpisode(tx, event);
        boolean wasFiring = before.map(AlertState::firing).orElse(false);
        int firingCount = incident.firingCount() - (wasFiring ? 1 : 0);
        Incident updated = incident.withCounts(incident.severity(), event.receivedAt(), incident.eventCount() + 1,
                incident.alertCount(), firingCount);
        if (wasFiring) {
            moveOn(tx, tenant, before);
            tx.putAlert(tenant, incident.id(), event.fingerprint(), AlertState.startedBy(stored, false));
            timeline(tx, stored, Kind.ALERT_RESOLVED, event.title());
        }
        if (firingCount == 0) {
            updated = updated.resolved(event.receivedAt(), SOURCE_ACTOR);
            timeline(tx, stored, Kind.RESOLVED, "All alerts resolved at the source");
        }
        tx.updateIncident(updated);
        return stored;
    }

    private static void endEpisode(EventStore.Transaction tx, Event resolve) {
        Instant ended = AlertState.sendersTime(resolve);
        if (ended != null && resolve.source().timesStateChanges()) {
            tx.recordEpisodeEnd(resolve.tenantId(), resolve.fingerprint(), ended);
        }
    }

    private Event informational(EventStore.Transaction tx, Event event) {
        Optional<Incident> open = tx.openIncidentWithFingerprint(event.tenantId(), event.fingerprint());
        if (open.isEmpty()) {
            tx.insertEvent(event);
            return event;
        }
        return recordedIn(tx, open.get(), event, event.title());
    }

    private static void timeline(EventStore.Transaction tx, Event event, Kind kind, String text) {
        tx.appendTimeline(new TimelineEntry(Ids.newId(event.receivedAt()), event.tenantId(), event.incidentId(),
                event.receivedAt(), kind, SOURCE_ACTOR, text, event.id()));
    }
}
