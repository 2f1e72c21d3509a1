package io.onloop.adapters.store.jdbc;

import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.copilot.ChangePlan;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.RecommendationStore;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.Page;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * {@link RecommendationStore} over plain JDBC. The recommendation and its plan are kept as JSON of the domain
 * records (read back by the same code); what listings filter and sort on is copied into columns. Updates are
 * compare-and-set on the status, so two decisions of one recommendation cannot both win.
 */
final class JdbcRecommendationStore implements RecommendationStore {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String COLUMNS = "id, tenant_id, status, recommendation_json, created_at, updated_at,"
            + " decided_by, decided_at, comment, plan_json";

    private final DataSource dataSource;

    JdbcRecommendationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void insert(StoredRecommendation r) {
        var w = r.recommendation().workload();
        List<Object> values = new ArrayList<>(List.of(r.id(), r.tenantId(), r.workloadKey(), w.provider(),
                w.environment(), w.namespace(), w.kind()));
        values.addAll(mutable(r));
        try (Connection c = dataSource.getConnection()) {
            JdbcEventStore.update(c, "INSERT INTO recommendations (id, tenant_id, workload_key, provider, environment,"
                    + " namespace, kind, monthly_savings, risk, status, recommendation_json, created_at, updated_at,"
                    + " decided_by, decided_at, comment, plan_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", values);
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new IllegalArgumentException("recommendation violates a constraint (unknown tenant or id taken)", e);
            }
            throw JdbcEventStore.failure("cannot save the recommendation", e);
        }
    }

    /** The columns a scan's refresh or a decision may change, in the order insert and update use them. */
    private static List<Object> mutable(StoredRecommendation r) {
        Recommendation rec = r.recommendation();
        return List.of(rec.monthlySavings(), rec.risk(), r.status().name(), JSON.writeValueAsString(rec),
                r.createdAt(), r.updatedAt(), r.decidedBy(), Sql.timeOrNull(r.decidedAt()), r.comment(),
                Sql.textOrNull(r.plan() == null ? null : JSON.writeValueAsString(r.plan())));
    }

    @Override
    public boolean update(StoredRecommendation r, Status expected) {
        List<Object> values = new ArrayList<>(mutable(r));
        values.addAll(List.of(r.tenantId(), r.id(), expected.name()));
        return run(c -> JdbcEventStore.update(c, "UPDATE recommendations SET monthly_savings = ?, risk = ?, status = ?,"
                + " recommendation_json = ?, created_at = ?, updated_at = ?, decided_by = ?, decided_at = ?, comment = ?,"
                + " plan_json = ? WHERE tenant_id = ? AND id = ? AND status = ?", values) == 1);
    }

    @Override
    public Optional<StoredRecommendation> find(String tenantId, UUID id) {
        return run(c -> JdbcEventStore.one(c, "SELECT " + COLUMNS + " FROM recommendations WHERE tenant_id = ?"
                + " AND id = ?", List.of(tenantId, id), JdbcRecommendationStore::row));
    }

    @Override
    public Optional<StoredRecommendation> findLatest(String tenantId, String workloadKey) {
        return run(c -> JdbcEventStore.one(c, "SELECT " + COLUMNS + " FROM recommendations WHERE tenant_id = ?"
                + " AND workload_key = ? ORDER BY created_at DESC, id DESC FETCH FIRST 1 ROWS ONLY",
                List.of(tenantId, workloadKey), JdbcRecommendationStore::row));
    }

    @Override
    public Page<StoredRecommendation> find(RecommendationQuery q) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM recommendations WHERE tenant_id = ?");
        List<Object> params = new ArrayList<>(List.of(q.tenantId()));
        filter(sql, params, "environment = ?", q.environment());
        filter(sql, params, "namespace = ?", q.namespace());
        filter(sql, params, "kind = ?", q.kind());
        filter(sql, params, "provider = ?", q.provider());
        filter(sql, params, "monthly_savings >= ?", q.minMonthlySavings());
        filter(sql, params, "risk <= ?", q.maxRisk());
        filter(sql, params, "status = ?", q.status() == null ? null : q.status().name());
        if (q.cursor() != null) {
            var after = RecommendationQuery.Cursor.decode(q.cursor());
            sql.append(" AND (monthly_savings < ? OR (monthly_savings = ? AND id > ?))");
            params.addAll(List.of(after.savings(), after.savings(), after.id()));
        }
        sql.append(" ORDER BY monthly_savings DESC, id FETCH FIRST ").append(q.limit() + 1).append(" ROWS ONLY");
        List<StoredRecommendation> rows = run(c -> JdbcEventStore.list(c, sql.toString(), params,
                JdbcRecommendationStore::row));
        if (rows.size() <= q.limit()) {
            return new Page<>(rows, null);
        }
        var page = rows.subList(0, q.limit());
        return new Page<>(page, RecommendationQuery.Cursor.after(page.getLast()).encode());
    }

    private static void filter(StringBuilder sql, List<Object> params, String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    private static StoredRecommendation row(ResultSet rs) throws SQLException {
        String plan = rs.getString("plan_json");
        return new StoredRecommendation(Sql.uuid(rs, "id"), rs.getString("tenant_id"),
                JSON.readValue(rs.getString("recommendation_json"), Recommendation.class),
                Status.valueOf(rs.getString("status")), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"),
                rs.getString("decided_by"), Sql.instant(rs, "decided_at"), rs.getString("comment"),
                plan == null ? null : JSON.readValue(plan, ChangePlan.class));
    }

    private <T> T run(JdbcDeliveryStore.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("recommendation store failed", e);
        }
    }
}
