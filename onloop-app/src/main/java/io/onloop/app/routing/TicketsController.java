package io.onloop.app.routing;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.event.Ids;
import io.onloop.domain.inbox.Ticket;
import io.onloop.domain.inbox.TicketComment;
import io.onloop.domain.inbox.TicketStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** The built-in inbox: tickets opened by the inbox target, worked by responders (assign, comment, close). */
@RestController
@RequestMapping("/api/v1/tickets")
@Tag(name = "inbox")
class TicketsController {
    static final int MAX_TEXT = 10_000;

    private final TicketStore tickets;
    private final AuditLog audit;
    private final Clock clock;

    TicketsController(TicketStore tickets, AuditLog audit, Clock clock) {
        this.tickets = tickets;
        this.audit = audit;
        this.clock = clock;
    }

    public record TicketDto(UUID id, String threadKey, String title, String severity, String status, String assignee,
                            String body, Instant createdAt, Instant updatedAt, Instant closedAt, String closedBy) {
        static TicketDto of(Ticket t) {
            return new TicketDto(t.id(), t.threadKey(), t.title(), t.severity().id(), t.status().id(), t.assignee(),
                    t.body(), t.createdAt(), t.updatedAt(), t.closedAt(), t.closedBy());
        }
    }

    public record CommentDto(UUID id, Instant at, String author, String text) {
        static CommentDto of(TicketComment c) {
            return new CommentDto(c.id(), c.at(), c.author(), c.text());
        }
    }

    public record TicketDetailDto(TicketDto ticket, List<CommentDto> comments) {
    }

    public record AssignRequest(String assignee) {
    }

    public record TextRequest(String text) {
    }

    @GetMapping
    @Operation(summary = "Tickets, newest first; status=open|closed (default any)")
    List<TicketDto> list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String status) {
        Ticket.Status s = null;
        if (status != null) {
            try {
                s = Ticket.Status.fromId(status);
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("status", "expected open or closed");
            }
        }
        return tickets.tickets(me.tenantId(), s, 500).stream().map(TicketDto::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One ticket with its comments")
    TicketDetailDto get(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        Ticket t = find(me, id);
        return new TicketDetailDto(TicketDto.of(t),
                tickets.comments(me.tenantId(), id).stream().map(CommentDto::of).toList());
    }

    @PostMapping("/{id}/assign")
    @Operation(summary = "Assign the ticket (responder); an empty assignee unassigns it")
    TicketDto assign(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, @RequestBody AssignRequest body) {
        Ticket t = find(me, id);
        String who = body.assignee() == null || body.assignee().isBlank() ? null : body.assignee().strip();
        if (who != null && who.length() > 256) {
            throw ApiException.badParameter("assignee", "at most 256 characters");
        }
        Ticket updated = t.assigned(who, clock.instant());
        audit.inOneTransaction(() -> {
            tickets.updateTicket(updated);
            audit.record(me.tenantId(), me.name(), "ticket.assign", "ticket", id.toString(), "to " + who);
            return null;
        });
        return TicketDto.of(updated);
    }

    @PostMapping("/{id}/comments")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Comment on the ticket (responder)")
    CommentDto comment(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, @RequestBody TextRequest body) {
        find(me, id);
        String text = body.text() == null ? "" : body.text().strip();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw ApiException.badParameter("text", "required, at most " + MAX_TEXT + " characters");
        }
        Instant now = clock.instant();
        TicketComment c = new TicketComment(Ids.newId(now), me.tenantId(), id, now, me.name(), text, null);
        tickets.addComment(c);
        return CommentDto.of(c);
    }

    @PostMapping("/{id}/close")
    @Operation(summary = "Close the ticket (responder)")
    TicketDto close(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        Ticket t = find(me, id);
        if (t.status() == Ticket.Status.CLOSED) {
            throw ApiException.conflict("ticket " + id + " is already closed");
        }
        Ticket closed = t.closed(me.name(), clock.instant());
        audit.inOneTransaction(() -> {
            tickets.updateTicket(closed);
            audit.record(me.tenantId(), me.name(), "ticket.close", "ticket", id.toString(), t.title());
            return null;
        });
        return TicketDto.of(closed);
    }

    private Ticket find(OnloopPrincipal me, UUID id) {
        return tickets.findTicket(me.tenantId(), id).orElseThrow(() -> ApiException.notFound("ticket " + id));
    }
}
