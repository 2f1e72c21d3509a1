package io.onloop.domain.incident;

import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A group of events about one problem. Its alerts are the distinct fingerprints grouped into it;
 * it resolves by itself when the last firing alert resolves.
 *
 * @param groupKey    the group-by label values that grouped it, or null when grouped by fingerprint only
 * @param labels      the labels common to the incident (the group-by labels, or the first event's labels)
 * @param eventCount  every event grouped into it, repeats included
 * @param alertCount  distinct fingerprints
 * @param firingCount distinct fingerprints currently firing
 */
public record Incident(
        UUID id,
        String tenantId,
        String groupKey,
        String title,
        Severity severity,
        IncidentStatus status,
        SourceType source,
        Resource resource,
        Map<String, String> labels,
        Instant openedAt,
        Instant lastEventAt,
        Instant acknowledgedAt,
        String acknowledgedBy,
        Instant resolvedAt,
        String resolvedBy,
        int eventCount,
        int alertCount,
        int firingCount) {

    public Incident {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(openedAt, "openedAt");
        title = Objects.requireNonNullElse(title, "");
        resource = Objects.requireNonNullElse(resource, Resource.UNKNOWN);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        lastEventAt = Objects.requireNonNullElse(lastEventAt, openedAt);
    }

    public boolean isOpen() {
        return status != IncidentStatus.RESOLVED;
    }

    public Incident withCounts(Severity newSeverity, Instant eventAt, int events, int alerts, int firing) {
        return new Incident(id, tenantId, groupKey, title, newSeverity, status, source, resource, labels, openedAt,
                eventAt.isAfter(lastEventAt) ? eventAt : lastEventAt, acknowledgedAt, acknowledgedBy, resolvedAt,
                resolvedBy, events, alerts, firing);
    }

    public Incident withTitle(String newTitle) {
        return new Incident(id, tenantId, groupKey, newTitle, severity, status, source, resource, labels, openedAt,
                lastEventAt, acknowledgedAt, acknowledgedBy, resolvedAt, resolvedBy, eventCount, alertCount, firingCount);
    }

    public Incident acknowledged(Instant at, String by) {
        return new Incident(id, tenantId, groupKey, title, severity, IncidentStatus.ACKNOWLEDGED, source, resource,
                labels, openedAt, lastEventAt, at, by, resolvedAt, resolvedBy, eventCount, alertCount, firingCount);
    }

    public Incident resolved(Instant at, String by) {
        return new Incident(id, tenantId, groupKey, title, severity, IncidentStatus.RESOLVED, source, resource,
                labels, openedAt, lastEventAt, acknowledgedAt, acknowledgedBy, at, by, eventCount, alertCount,
                firingCount);
    }
}
