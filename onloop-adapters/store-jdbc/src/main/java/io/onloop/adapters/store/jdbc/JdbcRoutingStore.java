package io.onloop.adapters.store.jdbc;

import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.RoutingConfigStore;
import io.onloop.domain.routing.Silence;
import io.onloop.domain.routing.SilenceStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Silences and routing files over JDBC. Silences are written whole (create, or expire = new end). */
final class JdbcRoutingStore implements SilenceStore, RoutingConfigStore {
    private static final String COLUMNS = "id, tenant_id, matchers, starts_at, ends_at, created_by, comment, created_at";

    private final DataSource dataSource;

    JdbcRoutingStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void saveSilence(Silence s) {
        List<Object> values = List.of(Sql.stringsJson(s.matchers().stream().map(Matcher::toString).toList()),
                s.startsAt(), s.endsAt(), s.createdBy(), s.comment(), s.createdAt(), s.tenantId(), s.id());
        run(c -> {
            int n = JdbcEventStore.update(c, "UPDATE silences SET matchers = ?, starts_at = ?, ends_at = ?,"
                    + " created_by = ?, comment = ?, created_at = ? WHERE tenant_id = ? AND id = ?", values);
            if (n == 0) {
                JdbcEventStore.update(c, "INSERT INTO silences (matchers, starts_at, ends_at, created_by, comment,"
                        + " created_at, tenant_id, id) VALUES (?,?,?,?,?,?,?,?)", values);
            }
            return null;
        });
    }

    @Override
    public Optional<Silence> findSilence(String tenantId, UUID id) {
        return run(c -> JdbcEventStore.one(c, "SELECT " + COLUMNS + " FROM silences WHERE tenant_id = ? AND id = ?",
                List.of(tenantId, id), JdbcRoutingStore::silence));
    }

    @Override
    public List<Silence> silences(String tenantId, boolean includeExpired, Instant now) {
        return run(c -> includeExpired
                ? JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM silences WHERE tenant_id = ?"
                + " ORDER BY created_at DESC, id", List.of(tenantId), JdbcRoutingStore::silence)
                : JdbcEventStore.list(c, "SELECT " + COLUMNS + " FROM silences WHERE tenant_id = ? AND ends_at > ?"
                + " ORDER BY created_at DESC, id", List.of(tenantId, now), JdbcRoutingStore::silence));
    }

    @Override
    public Optional<StoredRouting> routing(String tenantId) {
        return run(c -> JdbcEventStore.one(c, "SELECT yaml, updated_at, updated_by FROM routing_configs"
                + " WHERE tenant_id = ?", List.of(tenantId), rs -> new StoredRouting(rs.getString("yaml"),
                Sql.instant(rs, "updated_at"), rs.getString("updated_by"))));
    }

    @Override
    public void saveRouting(String tenantId, StoredRouting r) {
        List<Object> values = List.of(r.yaml(), r.updatedAt(), r.updatedBy(), tenantId);
        run(c -> {
            if (JdbcEventStore.update(c, "UPDATE routing_configs SET yaml = ?, updated_at = ?, updated_by = ?"
                    + " WHERE tenant_id = ?", values) == 0) {
                JdbcEventStore.update(c, "INSERT INTO routing_configs (yaml, updated_at, updated_by, tenant_id)"
                        + " VALUES (?,?,?,?)", values);
            }
            return null;
        });
    }

    private static Silence silence(ResultSet rs) throws SQLException {
        return new Silence(Sql.uuid(rs, "id"), rs.getString("tenant_id"),
                Sql.strings(rs.getString("matchers")).stream().map(Matcher::parse).toList(),
                Sql.instant(rs, "starts_at"), Sql.instant(rs, "ends_at"), rs.getString("created_by"),
                rs.getString("comment"), Sql.instant(rs, "created_at"));
    }

    private <T> T run(JdbcDeliveryStore.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("routing store failed", e);
        }
    }
}
