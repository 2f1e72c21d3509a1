package io.onloop.domain.routing;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * One alert as a notification shows it: the latest event of its fingerprint. Text fields are
 * untrusted sender text; each target escapes them for its own markup.
 *
 * @param labels   the routing labels ({@link RoutingLabels})
 * @param startsAt when it started firing (the first firing event this group saw)
 * @param endsAt   when it resolved; null while firing
 */
public record AlertSnapshot(String fingerprint, boolean firing, Severity severity, String source, String title,
                            String summary, Resource resource, Map<String, String> labels, String link,
                            UUID incidentId, Instant startsAt, Instant endsAt) {

    public AlertSnapshot {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(severity, "severity");
        source = Objects.requireNonNullElse(source, "");
        title = Objects.requireNonNullElse(title, "");
        summary = Objects.requireNonNullElse(summary, "");
        resource = Objects.requireNonNullElse(resource, Resource.UNKNOWN);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        link = Objects.requireNonNullElse(link, "");
        Objects.requireNonNull(startsAt, "startsAt");
    }

    public static AlertSnapshot of(Event e, Map<String, String> routingLabels, Instant startsAt) {
        boolean firing = e.status() != io.onloop.domain.event.EventStatus.RESOLVED;
        Instant at = e.occurredAt();
        return new AlertSnapshot(e.fingerprint(), firing, e.severity(), e.source().id(), e.title(), e.summary(),
                e.resource(), routingLabels, e.link(), e.incidentId(), startsAt == null ? at : startsAt,
                firing ? null : at);
    }

    public AlertSnapshot withSeverity(Severity s) {
        return new AlertSnapshot(fingerprint, firing, s, source, title, summary, resource, labels, link, incidentId,
                startsAt, endsAt);
    }
}
