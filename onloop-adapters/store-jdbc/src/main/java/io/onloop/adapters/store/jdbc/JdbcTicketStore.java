package io.onloop.adapters.store.jdbc;

import io.onloop.domain.event.Severity;
import io.onloop.domain.inbox.Ticket;
import io.onloop.domain.inbox.TicketComment;
import io.onloop.domain.inbox.TicketStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The inbox over JDBC. One ticket per (tenant, thread) and one comment per (ticket, dedup key), by constraint. */
final class JdbcTicketStore implements TicketStore {
    private static final String COLUMNS = "id, tenant_id, thread_key, title, severity, status, assignee, body,"
            + " created_at, updated_at, closed_at, closed_by";
    private static final String COMMENT_COLUMNS = "id, tenant_id, ticket_id, at, author, text, dedup_key";

    private final DataSource dataSource;

    JdbcTicketStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Ticket openTicket(Ticket t) {
        return run(c -> {
            JdbcEventStore.update(c, "INSERT INTO tickets (" + COLUMNS + ") SELECT ?,?,?,?,?,?,?,?,?,?,?,? WHERE NOT EXISTS"
                            + " (SELECT 1 FROM tickets WHERE tenant_id = ? AND thread_key = ?)",
                    List.of(t.id(), t.tenantId(), t.threadKey(), t.title(), t.severity().id(), t.status().id(),
                            Sql.textOrNull(t.assignee()), t.body(), t.createdAt(), t.updatedAt(), Sql.timeOrNull(t.closedAt()),
                            Sql.textOrNull(t.closedBy()), t.tenantId(), t.threadKey()));
            return JdbcEventStore.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE tenant_id = ? AND thread_key = ?",
                    List.of(t.tenantId(), t.threadKey()), JdbcTicketStore::ticket).orElseThrow();
        });
    }

    @Override
    public Optional<Ticket> findTicket(String tenantId, UUID id) {
        return run(c -> JdbcEventStore.one(c, "SELECT " + COLUMNS + " FROM tickets WHERE tenant_id = ? AND id = ?",
                List.of(tenantId, id), JdbcTicketStore::ticket));
    }

    @Override
    public List<Ticket> tickets(String tenantId, Ticket.Status status, int limit) {
        String cap = " ORDER BY created_at DESC, id FETCH FIRST " + Math.max(1, limit) + " ROWS ONLY";
        return run(c -> status == null
                ? JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE tenant_id = ?" + cap,
                List.of(tenantId), JdbcTicketStore::ticket)
                : JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM tickets WHERE tenant_id = ? AND status = ?" + cap,
                List.of(tenantId, status.id()), JdbcTicketStore::ticket));
    }

    @Override
    public void updateTicket(Ticket t) {
        run(c -> JdbcEventStore.update(c, "UPDATE tickets SET status = ?, assignee = ?, updated_at = ?, closed_at = ?,"
                + " closed_by = ? WHERE tenant_id = ? AND id = ?", List.of(t.status().id(), Sql.textOrNull(t.assignee()),
                t.updatedAt(), Sql.timeOrNull(t.closedAt()), Sql.textOrNull(t.closedBy()), t.tenantId(), t.id())));
    }

    @Override
    public boolean addComment(TicketComment m) {
        return run(c -> JdbcEventStore.update(c, "INSERT INTO ticket_comments (" + COMMENT_COLUMNS + ")"
                        + " SELECT ?,?,?,?,?,?,? WHERE EXISTS (SELECT 1 FROM tickets WHERE tenant_id = ? AND id = ?)"
                        + " AND NOT EXISTS (SELECT 1 FROM ticket_comments WHERE ticket_id = ? AND dedup_key = ?)",
                List.of(m.id(), m.tenantId(), m.ticketId(), m.at(), m.author(), m.text(), Sql.textOrNull(m.dedupKey()),
                        m.tenantId(), m.ticketId(), m.ticketId(), Sql.textOrNull(m.dedupKey())))) == 1;
    }

    @Override
    public List<TicketComment> comments(String tenantId, UUID ticketId) {
        return run(c -> JdbcEventStore.list(c, "SELECT " + COMMENT_COLUMNS + " FROM ticket_comments"
                        + " WHERE tenant_id = ? AND ticket_id = ? ORDER BY at, id", List.of(tenantId, ticketId),
                rs -> new TicketComment(Sql.uuid(rs, "id"), rs.getString("tenant_id"), Sql.uuid(rs, "ticket_id"),
                        Sql.instant(rs, "at"), rs.getString("author"), rs.getString("text"), rs.getString("dedup_key"))));
    }

    private static Ticket ticket(ResultSet rs) throws SQLException {
        return new Ticket(Sql.uuid(rs, "id"), rs.getString("tenant_id"), rs.getString("thread_key"),
                rs.getString("title"), Severity.fromId(rs.getString("severity")),
                Ticket.Status.fromId(rs.getString("status")), rs.getString("assignee"), rs.getString("body"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"), Sql.instant(rs, "closed_at"),
                rs.getString("closed_by"));
    }

    private <T> T run(JdbcDeliveryStore.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("ticket store failed", e);
        }
    }
}
