package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.delivery.SendResult;
import io.onloop.domain.delivery.TargetDescriptor;
import io.onloop.domain.event.Ids;
import io.onloop.domain.inbox.Ticket;
import io.onloop.domain.inbox.TicketComment;
import io.onloop.domain.inbox.TicketStore;
import io.onloop.domain.routing.Notification;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * onloop's own ticket inbox: the first notification of a group opens a ticket, updates are
 * comments, the group's resolution comments and closes it. One ticket per thread and one comment
 * per notification are enforced by the store, so a retry writes nothing twice. A ticket closed by
 * a person is reopened if its alerts fire again in the same group.
 */
public final class InboxTarget implements NotificationTarget {
    public static final String AUTHOR = "onloop";
    public static final TargetDescriptor DESCRIPTOR = new TargetDescriptor("inbox", "onloop inbox", List.of());

    private final TicketStore tickets;
    private final Clock clock;

    public InboxTarget(TicketStore tickets, Clock clock) {
        this.tickets = tickets;
        this.clock = clock;
    }

    @Override
    public TargetDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SendResult send(Notification n, Map<String, String> settings, Optional<String> threadRef) {
        Instant now = clock.instant();
        Ticket ticket = threadRef.flatMap(ref -> tickets.findTicket(n.tenantId(), UUID.fromString(ref)))
                .orElseGet(() -> tickets.openTicket(new Ticket(Ids.newId(now), n.tenantId(), n.threadKey(),
                        Markup.clip(n.title(), 500), n.severity(), Ticket.Status.OPEN, null, PlainText.body(n), now, now,
                        null, null)));
        if (!n.isFirst() || !ticket.body().equals(PlainText.body(n))) {
            tickets.addComment(new TicketComment(Ids.newId(now), n.tenantId(), ticket.id(), now, AUTHOR,
                    PlainText.body(n), n.dedupKey()));
        }
        if (n.status() == Notification.Status.RESOLVED && ticket.status() == Ticket.Status.OPEN) {
            tickets.updateTicket(ticket.closed(AUTHOR, now));
        } else if (n.status() == Notification.Status.FIRING && ticket.status() == Ticket.Status.CLOSED
                && !n.isFirst()) {
            tickets.updateTicket(ticket.reopened(now));
        }
        return SendResult.delivered(ticket.id().toString());
    }
}
