package io.onloop.app.routing;

import io.onloop.adapters.delivery.DeliveryWorker;
import io.onloop.adapters.delivery.NotificationJson;
import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentListener;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.routing.Notification;
import io.onloop.domain.routing.Receiver;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * When a person acknowledges an incident (API or console), every notification thread that carried
 * it shows that on the targets that can: one outbox row per (target, thread), so the
 * acknowledgement has the same retries, dead letters and idempotency as any notification. Threads
 * are found in the outbox itself (the notifications name their alerts' incidents); a thread that
 * already said "resolved" is left alone.
 */
final class AcknowledgementRelay implements IncidentListener {
    /** Notifications are written after their incident opened; the margin covers clock differences between nodes. */
    private static final Duration SKEW = Duration.ofHours(1);

    private final DeliveryStore store;
    private final Map<String, NotificationTarget> targets;
    private final DeliveryWorker.TargetLookup lookup;
    private final Clock clock;

    AcknowledgementRelay(DeliveryStore store, Map<String, NotificationTarget> targets, DeliveryWorker.TargetLookup lookup,
                         Clock clock) {
        this.store = store;
        this.targets = Map.copyOf(targets);
        this.lookup = lookup;
        this.clock = clock;
    }

    @Override
    public void acknowledged(Incident incident) {
        // the last notification of each (target, thread) that carried the incident
        Map<String, Delivery> lastRow = new LinkedHashMap<>();
        Map<String, Notification> lastSaid = new LinkedHashMap<>();
        for (Delivery d : store.mentioning(incident.tenantId(), incident.id().toString(),
                incident.openedAt().minus(SKEW))) {
            if (NotificationJson.isAcknowledgement(d.payload())) {
                continue;
            }
            Notification n = NotificationJson.read(d.payload());
            if (n.incidentIds().contains(incident.id())) {
                String key = d.target() + "|" + d.threadKey();
                lastRow.put(key, d);
                lastSaid.put(key, n);
            }
        }
        List<Delivery> rows = new ArrayList<>();
        for (var e : lastRow.entrySet()) {
            Delivery d = e.getValue();
            Notification last = lastSaid.get(e.getKey());
            NotificationTarget adapter = targets.get(d.targetType());
            Optional<Receiver.Target> target = lookup.find(d.tenantId(), d.target());
            if (last.status() == Notification.Status.RESOLVED || adapter == null || target.isEmpty()
                    || !adapter.showsAcknowledgements(target.get().settings())) {
                continue;
            }
            var ack = new Acknowledgement(incident.id(), incident.acknowledgedBy(), incident.acknowledgedAt(), last);
            rows.add(DeliveryWorker.acknowledgementFor(d, ack, clock.instant()));
        }
        if (!rows.isEmpty()) {
            store.enqueue(rows);
        }
    }

    /**
     * The acknowledgements to follow a thread's first notification, {@code rows} (one per target of {@code receiver}),
     * for its incidents a person acknowledged before it was written (within group_wait): the relay, run when they were
     * acknowledged, found no thread to tell.
     */
    static List<Delivery> alreadyAcknowledged(Notification first, List<Delivery> rows, Receiver receiver,
                                              Map<String, NotificationTarget> adapters,
                                              Function<UUID, Optional<Incident>> incidents, Instant now) {
        if (!first.isFirst() || first.status() != Notification.Status.FIRING) {
            return List.of();
        }
        List<Delivery> showing = new ArrayList<>(); // the rows of targets that show acknowledgements
        for (int i = 0; i < rows.size(); i++) {
            Receiver.Target target = receiver.targets().get(i);
            NotificationTarget adapter = adapters.get(target.type());
            if (adapter != null && adapter.showsAcknowledgements(target.settings())) {
                showing.add(rows.get(i));
            }
        }
        List<Delivery> out = new ArrayList<>();
        for (UUID id : showing.isEmpty() ? List.<UUID>of() : first.incidentIds()) { // no reads when no target shows them
            incidents.apply(id).filter(i -> i.status() == IncidentStatus.ACKNOWLEDGED).ifPresent(incident -> {
                var ack = new Acknowledgement(id, incident.acknowledgedBy(), incident.acknowledgedAt(), first);
                showing.forEach(row -> out.add(DeliveryWorker.acknowledgementFor(row, ack, now)));
            });
        }
        return out;
    }
}
