package io.onloop.domain.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One normalized event, as stored. Text fields are untrusted data from the sender: they are
 * length-bounded by {@link EventLimits}, and the raw payload has had secrets redacted.
 *
 * @param incidentId the incident this event was grouped into; null for an informational event or
 *                   a resolve that matched nothing open
 * @param repeats    how many unchanged repeats of this firing alert arrived after it; they are counted
 *                   here, not stored as events of their own (0 on ingest)
 * @param lastSeenAt when the latest of those repeats arrived ({@code receivedAt} if none)
 */
public record Event(
        UUID id,
        String tenantId,
        UUID sourceId,
        SourceType source,
        Instant receivedAt,
        Instant occurredAt,
        EventStatus status,
        Severity severity,
        String sourceSeverity,
        String title,
        String summary,
        Resource resource,
        Map<String, String> labels,
        String fingerprint,
        String link,
        String rawPayload,
        UUID incidentId,
        int repeats,
        Instant lastSeenAt) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(fingerprint, "fingerprint");
        occurredAt = Objects.requireNonNullElse(occurredAt, receivedAt);
        sourceSeverity = Objects.requireNonNullElse(sourceSeverity, "");
        title = Objects.requireNonNullElse(title, "");
        summary = Objects.requireNonNullElse(summary, "");
        resource = Objects.requireNonNullElse(resource, Resource.UNKNOWN);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        rawPayload = Objects.requireNonNullElse(rawPayload, "");
        lastSeenAt = Objects.requireNonNullElse(lastSeenAt, receivedAt);
    }

    /** An event as received: no repeats yet. */
    public Event(UUID id, String tenantId, UUID sourceId, SourceType source, Instant receivedAt, Instant occurredAt,
                 EventStatus status, Severity severity, String sourceSeverity, String title, String summary,
                 Resource resource, Map<String, String> labels, String fingerprint, String link, String rawPayload,
                 UUID incidentId) {
        this(id, tenantId, sourceId, source, receivedAt, occurredAt, status, severity, sourceSeverity, title, summary,
                resource, labels, fingerprint, link, rawPayload, incidentId, 0, null);
    }

    public Event withIncident(UUID incident) {
        return new Event(id, tenantId, sourceId, source, receivedAt, occurredAt, status, severity, sourceSeverity,
                title, summary, resource, labels, fingerprint, link, rawPayload, incident, repeats, lastSeenAt);
    }

    /** The same event as later stages should treat it: recorded, but changing nothing (so notifying nothing). */
    public Event asInformational() {
        return new Event(id, tenantId, sourceId, source, receivedAt, occurredAt, EventStatus.INFORMATIONAL, severity,
                sourceSeverity, title, summary, resource, labels, fingerprint, link, rawPayload, incidentId, repeats,
                lastSeenAt);
    }

    public Event withRepeats(int count, Instant lastSeen) {
        return new Event(id, tenantId, sourceId, source, receivedAt, occurredAt, status, severity, sourceSeverity,
                title, summary, resource, labels, fingerprint, link, rawPayload, incidentId, count, lastSeen);
    }
}
