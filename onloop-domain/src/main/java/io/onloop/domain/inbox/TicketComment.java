package io.onloop.domain.inbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A line on a ticket: a person's comment, or onloop's update about the alert group.
 *
 * @param dedupKey set on onloop's updates (the notification's dedup key) so a retried update is written once
 */
public record TicketComment(UUID id, String tenantId, UUID ticketId, Instant at, String author, String text,
                            String dedupKey) {
    public TicketComment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(at, "at");
        author = Objects.requireNonNullElse(author, "");
        text = Objects.requireNonNullElse(text, "");
    }
}
