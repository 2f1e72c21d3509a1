package io.onloop.adapters.store.jdbc;

import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.routing.GroupLog;
import io.onloop.domain.store.Page;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox over JDBC. A claim is an optimistic lease: the worker moves {@code next_attempt_at}
 * forward only if it still holds the value it read, so two workers (cluster mode) never both send a
 * delivery, and a worker that dies mid-send leaves it due again when the lease lapses.
 */
final class JdbcDeliveryStore implements DeliveryStore, GroupLog {
    private static final String COLUMNS = "id, tenant_id, target, target_type, dedup_key, thread_key, payload, status,"
            + " attempts, next_attempt_at, last_error, created_at, delivered_at, target_digest";
    private static final String PENDING = DeliveryStatus.PENDING.id();

    private final DataSource dataSource;

    JdbcDeliveryStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public int enqueue(List<Delivery> deliveries) {
        return enqueue(deliveries, null);
    }

    @Override
    public int enqueue(List<Delivery> deliveries, GroupLog.Entry groupState) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int added = 0;
                for (Delivery d : deliveries) {
                    added += JdbcEventStore.update(c, "INSERT INTO deliveries (" + COLUMNS + ")"
                                    + " SELECT ?,?,?,?,?,?,?,?,?,?,?,?,?,? WHERE NOT EXISTS"
                                    + " (SELECT 1 FROM deliveries WHERE tenant_id = ? AND dedup_key = ?)",
                            List.of(d.id(), d.tenantId(), d.target(), d.targetType(), d.dedupKey(), d.threadKey(),
                                    d.payload(), d.status().id(), d.attempts(), d.nextAttempt(), d.lastError(),
                                    d.createdAt(), Sql.timeOrNull(d.deliveredAt()), Sql.textOrNull(d.targetDigest()),
                                    d.tenantId(), d.dedupKey()));
                }
                if (groupState != null) {
                    log(c, groupState);
                }
                c.commit();
                return added;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw JdbcEventStore.failure("cannot write deliveries", e);
        }
    }

    @Override
    public List<Delivery> claimDue(Instant now, Instant leaseUntil, int limit) {
        return run(c -> {
            // Only the first pending delivery of each thread (by seq) is a candidate.
            List<Delivery> due = JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM deliveries d"
                    + " WHERE d.status = ? AND d.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM deliveries e"
                    + " WHERE e.tenant_id = d.tenant_id AND e.target = d.target AND e.thread_key = d.thread_key"
                    + " AND e.status = ? AND e.seq < d.seq) ORDER BY d.next_attempt_at, d.seq FETCH FIRST "
                    + Math.max(1, limit) + " ROWS ONLY", List.of(PENDING, now, PENDING), JdbcDeliveryStore::delivery);
            List<Delivery> claimed = new ArrayList<>();
            for (Delivery d : due) {
                int n = JdbcEventStore.update(c, "UPDATE deliveries SET next_attempt_at = ?"
                                + " WHERE id = ? AND status = ? AND next_attempt_at = ?",
                        List.of(leaseUntil, d.id(), PENDING, d.nextAttempt()));
                if (n == 1) {
                    claimed.add(d);
                }
            }
            return claimed;
        });
    }

    @Override
    public void markDelivered(UUID id, Instant at) {
        run(c -> JdbcEventStore.update(c, "UPDATE deliveries SET status = ?, attempts = attempts + 1,"
                + " delivered_at = ?, last_error = '' WHERE id = ?", List.of(DeliveryStatus.DELIVERED.id(), at, id)));
    }

    @Override
    public void markRetry(UUID id, Instant nextAttempt, String error) {
        run(c -> JdbcEventStore.update(c, "UPDATE deliveries SET attempts = attempts + 1, next_attempt_at = ?,"
                + " last_error = ? WHERE id = ? AND status = ?", List.of(nextAttempt, error, id, PENDING)));
    }

    @Override
    public void markDead(UUID id, String error) {
        run(c -> JdbcEventStore.update(c, "UPDATE deliveries SET status = ?, attempts = attempts + 1, last_error = ?"
                + " WHERE id = ? AND status = ?", List.of(DeliveryStatus.DEAD.id(), error, id, PENDING)));
    }

    @Override
    public void postpone(UUID id, Instant nextAttempt) {
        run(c -> JdbcEventStore.update(c, "UPDATE deliveries SET next_attempt_at = ? WHERE id = ? AND status = ?",
                List.of(nextAttempt, id, PENDING)));
    }

    @Override
    public boolean replay(String tenantId, UUID id, Instant now) {
        // a replay is someone's decision to send it to the target of that name as it is now
        return run(c -> JdbcEventStore.update(c, "UPDATE deliveries SET status = ?, attempts = 0, next_attempt_at = ?,"
                        + " target_digest = NULL WHERE tenant_id = ? AND id = ? AND status = ? AND NOT EXISTS (SELECT 1 FROM deliveries l"
                        + " WHERE l.tenant_id = deliveries.tenant_id AND l.target = deliveries.target"
                        + " AND l.thread_key = deliveries.thread_key AND l.seq > deliveries.seq"
                        // an acknowledgement's row (DeliveryWorker.acknowledgementFor) shows, it is not a later state
                        + " AND l.dedup_key NOT LIKE CONCAT(deliveries.thread_key, '#ack-%'))",
                List.of(PENDING, now, tenantId, id, DeliveryStatus.DEAD.id()))) == 1;
    }

    @Override
    public int pruneFinished(String tenantId, Instant cutoff, int limit) {
        return run(c -> {
            int deleted = 0;
            for (DeliveryStatus status : List.of(DeliveryStatus.DELIVERED, DeliveryStatus.DEAD)) {
                if (deleted == limit) {
                    break;
                }
                // the (tenant_id, status, created_at) index finds them; deleted only in the status they were found in
                List<UUID> ids = JdbcEventStore.list(c, "SELECT id FROM deliveries WHERE tenant_id = ? AND status = ?"
                        + " AND created_at < ? ORDER BY tenant_id, status, created_at FETCH FIRST " + (limit - deleted)
                        + " ROWS ONLY", List.of(tenantId, status.id(), cutoff), rs -> Sql.uuid(rs, "id"));
                deleted += JdbcEventStore.batch(c, "DELETE FROM deliveries WHERE id = ? AND status = ?",
                        ids.stream().<List<?>>map(id -> List.of(id, status.id())).toList());
            }
            return deleted;
        });
    }

    @Override
    public Optional<Delivery> findDelivery(String tenantId, UUID id) {
        return run(c -> JdbcEventStore.one(c, "SELECT " + COLUMNS + " FROM deliveries WHERE tenant_id = ? AND id = ?",
                List.of(tenantId, id), JdbcDeliveryStore::delivery));
    }

    @Override
    public Page<Delivery> deliveries(String tenantId, DeliveryStatus status, int limit, String cursor) {
        int n = Math.max(1, limit);
        StringBuilder where = new StringBuilder("tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (status != null) {
            where.append(" AND status = ?");
            params.add(status.id());
        }
        if (cursor != null && !cursor.isEmpty()) {
            Sql.Cursor after = Sql.Cursor.decode(cursor);
            Instant at = Sql.time(after.at()).toInstant();
            where.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            params.addAll(List.of(at, at, after.id()));
        }
        List<Delivery> rows = run(c -> JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM deliveries WHERE " + where
                + " ORDER BY created_at DESC, id DESC FETCH FIRST " + (n + 1) + " ROWS ONLY", params,
                JdbcDeliveryStore::delivery));
        if (rows.size() <= n) {
            return new Page<>(rows, null);
        }
        Delivery last = rows.get(n - 1);
        return new Page<>(rows.subList(0, n), new Sql.Cursor(last.createdAt(), last.id()).encode());
    }

    @Override
    public List<Delivery> mentioning(String tenantId, String text, Instant since) {
        String pattern = "%" + text.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
        return run(c -> JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM deliveries WHERE tenant_id = ?"
                        + " AND created_at >= ? AND payload LIKE ? ESCAPE '!' ORDER BY seq",
                List.of(tenantId, since, pattern), JdbcDeliveryStore::delivery));
    }

    @Override
    public Optional<String> threadRef(String tenantId, String target, String threadKey) {
        return run(c -> JdbcEventStore.one(c, "SELECT ref FROM delivery_threads WHERE tenant_id = ? AND target = ?"
                + " AND thread_key = ?", List.of(tenantId, target, threadKey), rs -> rs.getString("ref")));
    }

    @Override
    public void saveThreadRef(String tenantId, String target, String threadKey, String ref) {
        run(c -> {
            int n = JdbcEventStore.update(c, "UPDATE delivery_threads SET ref = ? WHERE tenant_id = ? AND target = ?"
                    + " AND thread_key = ?", List.of(ref, tenantId, target, threadKey));
            if (n == 0) {
                JdbcEventStore.update(c, "INSERT INTO delivery_threads (tenant_id, target, thread_key, ref, created_at)"
                        + " VALUES (?,?,?,?,?)", List.of(tenantId, target, threadKey, ref, Instant.now()));
            }
            return null;
        });
    }

    private static void log(Connection c, GroupLog.Entry e) throws SQLException {
        List<Object> values = List.of(e.groupKey(), e.threadKey(), e.sequence(),
                Sql.stringsJson(e.firing().stream().sorted().toList()), e.sentAt(), e.resolved(), e.tenantId(),
                hash(e.groupKey()));
        if (JdbcEventStore.update(c, "UPDATE group_log SET group_key = ?, thread_key = ?, sequence = ?, firing = ?,"
                + " sent_at = ?, resolved = ? WHERE tenant_id = ? AND group_hash = ?", values) == 0) {
            JdbcEventStore.update(c, "INSERT INTO group_log (group_key, thread_key, sequence, firing, sent_at, resolved,"
                    + " tenant_id, group_hash) VALUES (?,?,?,?,?,?,?,?)", values);
        }
    }

    @Override
    public Optional<GroupLog.Entry> last(String tenantId, String groupKey) {
        return run(c -> JdbcEventStore.one(c, "SELECT group_key, thread_key, sequence, firing, sent_at, resolved"
                        + " FROM group_log WHERE tenant_id = ? AND group_hash = ?", List.of(tenantId, hash(groupKey)),
                rs -> new GroupLog.Entry(tenantId, rs.getString("group_key"), rs.getString("thread_key"),
                        rs.getInt("sequence"), new java.util.HashSet<>(Sql.strings(rs.getString("firing"))),
                        Sql.instant(rs, "sent_at"), rs.getBoolean("resolved"))));
    }

    @Override
    public Optional<Instant> settledAt(String tenantId, String threadKey, int sequence, Instant writtenAt) {
        String notification = threadKey + "#" + sequence + "#"; // its rows' dedup keys: <thread>#<sequence>#<target>
        record Row(String dedupKey, String status, Instant deliveredAt) {
        }
        return run(c -> {
            Instant delivered = null;
            for (Row r : JdbcEventStore.list(c, "SELECT dedup_key, status, delivered_at FROM deliveries"
                    + " WHERE tenant_id = ? AND thread_key = ?", List.of(tenantId, threadKey),
                    rs -> new Row(rs.getString(1), rs.getString(2), Sql.instant(rs, "delivered_at")))) {
                if (!r.dedupKey().startsWith(notification)) {
                    continue; // another notification of the thread, or an acknowledgement's row
                }
                if (r.status().equals(PENDING)) {
                    return Optional.empty();
                }
                if (r.deliveredAt() != null && (delivered == null || r.deliveredAt().isAfter(delivered))) {
                    delivered = r.deliveredAt();
                }
            }
            return Optional.of(delivered != null ? delivered : writtenAt);
        });
    }

    private static String hash(String groupKey) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(groupKey.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Delivery delivery(ResultSet rs) throws SQLException {
        return new Delivery(Sql.uuid(rs, "id"), rs.getString("tenant_id"), rs.getString("target"),
                rs.getString("target_type"), rs.getString("dedup_key"), rs.getString("thread_key"),
                rs.getString("payload"), DeliveryStatus.fromId(rs.getString("status")), rs.getInt("attempts"),
                Sql.instant(rs, "next_attempt_at"), rs.getString("last_error"), Sql.instant(rs, "created_at"),
                Sql.instant(rs, "delivered_at"), rs.getString("target_digest"));
    }

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T run(Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("delivery store failed", e);
        }
    }
}
