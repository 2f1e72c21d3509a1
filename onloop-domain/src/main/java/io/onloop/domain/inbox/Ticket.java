package io.onloop.domain.inbox;

import io.onloop.domain.event.Severity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * A ticket in onloop's own inbox, for teams without a ticketing system: one per alert group
 * ({@link #threadKey}), opened by the inbox target, worked by people (assign, comment, close).
 *
 * @param body the first notification's text (plain, untrusted sender text; escaped when rendered)
 */
public record Ticket(UUID id, String tenantId, String threadKey, String title, Severity severity, Status status,
                     String assignee, String body, Instant createdAt, Instant updatedAt, Instant closedAt,
                     String closedBy) {

    public enum Status {
        OPEN, CLOSED;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Status fromId(String id) {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        }
    }

    public Ticket {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(threadKey, "threadKey");
        title = Objects.requireNonNullElse(title, "");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(status, "status");
        body = Objects.requireNonNullElse(body, "");
        Objects.requireNonNull(createdAt, "createdAt");
        updatedAt = Objects.requireNonNullElse(updatedAt, createdAt);
    }

    public Ticket assigned(String to, Instant at) {
        return new Ticket(id, tenantId, threadKey, title, severity, status, to, body, createdAt, at, closedAt, closedBy);
    }

    public Ticket closed(String by, Instant at) {
        return new Ticket(id, tenantId, threadKey, title, severity, Status.CLOSED, assignee, body, createdAt, at, at, by);
    }

    public Ticket reopened(Instant at) {
        return new Ticket(id, tenantId, threadKey, title, severity, Status.OPEN, assignee, body, createdAt, at, null,
                null);
    }
}
