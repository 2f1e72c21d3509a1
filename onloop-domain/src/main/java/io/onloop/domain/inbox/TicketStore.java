package io.onloop.domain.inbox;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Port: the inbox's tickets and their comments. Every read is tenant-scoped. */
public interface TicketStore {

    /** Opens the thread's ticket, or returns the one it already has (one ticket per thread, whatever retries). */
    Ticket openTicket(Ticket ticket);

    Optional<Ticket> findTicket(String tenantId, UUID id);

    /** Newest first; a null status means any. */
    List<Ticket> tickets(String tenantId, Ticket.Status status, int limit);

    void updateTicket(Ticket ticket);

    /** Adds a comment; one whose dedup key the ticket already has is skipped. Returns whether it was added. */
    boolean addComment(TicketComment comment);

    /** Oldest first. */
    List<TicketComment> comments(String tenantId, UUID ticketId);
}
