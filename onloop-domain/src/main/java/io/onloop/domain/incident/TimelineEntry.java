package io.onloop.domain.incident;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One line in an incident's history. Repeats of an alert that is already firing only bump
 * counters; they do not add lines, so the timeline stays readable during a storm.
 *
 * @param actor   who did it: a user name, a token name, or "source" for the monitoring source
 * @param eventId the event behind this line, if any
 */
public record TimelineEntry(UUID id, String tenantId, UUID incidentId, Instant at, Kind kind, String actor,
                            String text, UUID eventId) {

    public enum Kind { OPENED, ALERT_ADDED, ALERT_RESOLVED, ALERT_REFIRED, INFO, ACKNOWLEDGED, RESOLVED, COMMENT }

    public TimelineEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(kind, "kind");
        actor = Objects.requireNonNullElse(actor, "");
        text = Objects.requireNonNullElse(text, "");
    }
}
