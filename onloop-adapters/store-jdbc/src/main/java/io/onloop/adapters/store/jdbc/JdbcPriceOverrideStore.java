package io.onloop.adapters.store.jdbc;

import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link PriceOverrideStore} over plain JDBC, one row per tenant and key. A put is an update, else an insert;
 * an insert that loses a race with another put of the same key becomes an update, so the later put wins.
 */
final class JdbcPriceOverrideStore implements PriceOverrideStore {
    private final DataSource dataSource;

    JdbcPriceOverrideStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public List<PriceOverride> overrides(String tenantId) {
        return run(c -> JdbcEventStore.list(c, "SELECT price_key, price, updated_by, updated_at FROM tenant_prices"
                + " WHERE tenant_id = ? ORDER BY price_key", List.of(tenantId), JdbcPriceOverrideStore::row));
    }

    @Override
    public void put(String tenantId, PriceOverride o) {
        try (Connection c = dataSource.getConnection()) {
            if (update(c, tenantId, o) == 1) {
                return;
            }
            try {
                JdbcEventStore.update(c, "INSERT INTO tenant_prices (tenant_id, price_key, price, updated_by, updated_at)"
                        + " VALUES (?,?,?,?,?)", List.of(tenantId, o.key(), o.price(), o.updatedBy(), o.updatedAt()));
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState()) || update(c, tenantId, o) != 1) { // 23505: the key was just put
                    throw e;
                }
            }
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                throw new IllegalArgumentException("price violates a constraint (unknown tenant or negative price)", e);
            }
            throw JdbcEventStore.failure("cannot save the price", e);
        }
    }

    private static int update(Connection c, String tenantId, PriceOverride o) throws SQLException {
        return JdbcEventStore.update(c, "UPDATE tenant_prices SET price = ?, updated_by = ?, updated_at = ?"
                + " WHERE tenant_id = ? AND price_key = ?", List.of(o.price(), o.updatedBy(), o.updatedAt(), tenantId, o.key()));
    }

    @Override
    public boolean delete(String tenantId, String key) {
        return run(c -> JdbcEventStore.update(c, "DELETE FROM tenant_prices WHERE tenant_id = ? AND price_key = ?",
                List.of(tenantId, key)) == 1);
    }

    private static PriceOverride row(ResultSet rs) throws SQLException {
        return new PriceOverride(rs.getString("price_key"), rs.getDouble("price"), rs.getString("updated_by"),
                Sql.instant(rs, "updated_at"));
    }

    private <T> T run(JdbcDeliveryStore.Work<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw JdbcEventStore.failure("price store failed", e);
        }
    }
}
