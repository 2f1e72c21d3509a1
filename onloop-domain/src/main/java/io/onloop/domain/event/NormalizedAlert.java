package io.onloop.domain.event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a parser makes of one alert in a native payload, before onloop stamps tenant, id and
 * receive time on it. A payload may hold many (Alertmanager's {@code alerts[]}, an EventList).
 *
 * @param occurredAt     when the source says it happened; null if the payload does not say
 * @param sourceSeverity the source's own severity word, kept for the mapping table and for people
 * @param fingerprint    the per-source stable identity of "the same alert" (see docs/event-model.md)
 * @param link           a link back to the source (console URL, generator URL); may be null
 * @param rawPayload     the JSON of this alert as received (the element, or the whole body)
 */
public record NormalizedAlert(
        EventStatus status,
        Severity severity,
        String sourceSeverity,
        String title,
        String summary,
        Resource resource,
        Map<String, String> labels,
        String fingerprint,
        Instant occurredAt,
        String link,
        String rawPayload) {

    public NormalizedAlert {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(fingerprint, "fingerprint");
        title = Objects.requireNonNullElse(title, "");
        summary = Objects.requireNonNullElse(summary, "");
        resource = Objects.requireNonNullElse(resource, Resource.UNKNOWN);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        rawPayload = Objects.requireNonNullElse(rawPayload, "");
    }
}
