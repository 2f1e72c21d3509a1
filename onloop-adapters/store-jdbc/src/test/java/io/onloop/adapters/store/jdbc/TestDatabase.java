package io.onloop.adapters.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * A fresh, empty database for one test class: an H2 file database in a temporary directory (as in
 * production), or a new PostgreSQL database with a random name, dropped on close.
 * PostgreSQL is expected at 127.0.0.1:5432 (user postgres, trust auth; override with
 * ONLOOP_TEST_PG_URL / ONLOOP_TEST_PG_USER / ONLOOP_TEST_PG_PASSWORD). If it cannot be reached the
 * PostgreSQL tests are skipped, except with CI=true, where they fail.
 */
final class TestDatabase implements AutoCloseable {
    private static final String PG_URL = env("ONLOOP_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    private static final String PG_USER = env("ONLOOP_TEST_PG_USER", "postgres");
    private static final String PG_PASSWORD = env("ONLOOP_TEST_PG_PASSWORD", "");

    final HikariDataSource dataSource;
    private final String pgDatabase;

    private TestDatabase(HikariDataSource dataSource, String pgDatabase) {
        this.dataSource = dataSource;
        this.pgDatabase = pgDatabase;
    }

    /** Every table with rows of a tenant's events and incidents, and the audit log. */
    private static final List<String> TENANT_TABLES = List.of("events", "event_repeats", "incidents",
            "incident_alerts", "incident_labels", "incident_timeline", "incident_recipes", "audit_log");

    /** How many rows each of {@link #TENANT_TABLES} holds for the tenant. */
    Map<String, Long> rowsPerTable(String tenant) {
        Map<String, Long> rows = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection()) {
            for (String table : TENANT_TABLES) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE tenant_id = ?")) {
                    ps.setString(1, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        rows.put(table, rs.getLong(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    static TestDatabase h2(Path dir) {
        return new TestDatabase(pool("jdbc:h2:file:" + dir.resolve("onloop").toAbsolutePath(), "sa", ""), null);
    }

    static TestDatabase postgres() {
        String name = "onloop_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
        try (Connection admin = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
             Statement st = admin.createStatement()) {
            st.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'");
        } catch (SQLException e) {
            unreachable(e);
        }
        // batched inserts as multi-row inserts, as the server's connections send them (PostgresConnections)
        return new TestDatabase(pool(PG_URL.substring(0, PG_URL.lastIndexOf('/') + 1) + name + "?reWriteBatchedInserts=true",
                PG_USER, PG_PASSWORD), name);
    }

    private static void unreachable(SQLException e) {
        String message = "PostgreSQL is not reachable at " + PG_URL + " as " + PG_USER + ": " + e.getMessage();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException(message + " (CI=true: PostgreSQL tests must run)", e);
        }
        Assumptions.abort(message + " — skipping PostgreSQL tests (set CI=true to make this a failure)");
    }

    private static HikariDataSource pool(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        config.setPoolName("onloop-test");
        return new HikariDataSource(config);
    }

    @Override
    public void close() {
        dataSource.close();
        if (pgDatabase != null) {
            try (Connection admin = DriverManager.getConnection(PG_URL, PG_USER, PG_PASSWORD);
                 Statement st = admin.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + pgDatabase + " WITH (FORCE)");
            } catch (SQLException e) {
                throw new IllegalStateException("cannot drop test database " + pgDatabase, e);
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
