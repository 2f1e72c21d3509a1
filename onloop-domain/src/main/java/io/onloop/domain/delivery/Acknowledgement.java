package io.onloop.domain.delivery;

import io.onloop.domain.routing.Notification;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A person acknowledged an incident that a notification thread carries: what a target needs to
 * show it (PagerDuty acknowledges the thread's alert, Slack edits the thread's first message).
 *
 * @param last what the thread last said to this target, for targets that redraw their message
 */
public record Acknowledgement(UUID incidentId, String by, Instant at, Notification last) {
    public Acknowledgement {
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(by, "by");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(last, "last");
    }
}
