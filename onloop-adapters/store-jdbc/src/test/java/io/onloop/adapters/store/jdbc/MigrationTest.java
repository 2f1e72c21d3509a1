package io.onloop.adapters.store.jdbc;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Ids;
import io.onloop.domain.store.EventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Flyway migrates an empty database of either kind, twice without harm, and the audit log stays append-only. */
class MigrationTest {
    private static final List<String> TABLES = List.of("tenants", "users", "api_tokens", "ingest_sources", "events",
            "incidents", "incident_labels", "incident_alerts", "incident_timeline", "audit_log",
            "journal_checkpoints", "incident_recipes", "runbook_edits", "llm_usage", "deliveries", "delivery_threads",
            "silences", "routing_configs", "tickets", "ticket_comments", "group_log",
            "recommendations", "tenant_prices", "event_repeats");

    @Test
    void migratesAnEmptyH2Database(@TempDir Path dir) throws Exception {
        try (TestDatabase db = TestDatabase.h2(dir)) {
            JdbcStores stores = assertMigrates(db.dataSource, "h2");
            assertThat(stores.h2File()).as("the file H2 writes, for the size gauge")
                    .contains(dir.resolve("onloop.mv.db").toAbsolutePath());
            assertThat(stores.h2File().orElseThrow()).exists();
        }
    }

    @Test
    void migratesAnEmptyPostgresDatabaseAndItRefusesToRewriteTheAuditLog() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            JdbcStores stores = assertMigrates(db.dataSource, "postgresql");
            assertThat(stores.h2File()).isEmpty();
            String tenant = "t-audit";
            Instant now = Instant.now();
            stores.eventStore().inTransaction(tx -> {
                tx.appendAudit(new AuditEntry(Ids.newId(now), tenant, now, "alice", "token.create", "token", "1", "ci"));
                return null;
            });
            try (Connection c = db.dataSource.getConnection(); Statement st = c.createStatement()) {
                assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_log SET actor = 'mallory'"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
                assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_log"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
                assertThatThrownBy(() -> st.executeUpdate("TRUNCATE audit_log"))
                        .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            }
            assertThat(stores.eventStore().auditLog(tenant, 10, null).items())
                    .singleElement().satisfies(a -> assertThat(a.actor()).isEqualTo("alice"));
        }
    }

    @Test
    void pricesStoredBeforeTheLimitAboveItAreRemovedAndNoneCanBeStoredAgain(@TempDir Path dir) throws Exception {
        try (TestDatabase h2 = TestDatabase.h2(dir)) {
            assertPricesAboveTheLimitGo(h2.dataSource, "h2");
        }
        try (TestDatabase pg = TestDatabase.postgres()) {
            assertPricesAboveTheLimitGo(pg.dataSource, "postgresql");
        }
    }

    private static void assertPricesAboveTheLimitGo(DataSource dataSource, String vendor) throws SQLException {
        org.flywaydb.core.Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                .failOnMissingLocations(false).target("8").load().migrate();
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO tenants (id, name, created_at) VALUES ('t', 't', CURRENT_TIMESTAMP)");
            for (String price : List.of("0.5", "1000000", "1e300")) {
                st.executeUpdate("INSERT INTO tenant_prices VALUES ('t', 'p" + price + "', " + price
                        + ", 'admin', CURRENT_TIMESTAMP)");
            }
        }
        JdbcStores.migrate(dataSource);
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            List<String> kept = new ArrayList<>();
            try (ResultSet rs = st.executeQuery("SELECT price_key FROM tenant_prices ORDER BY price")) {
                while (rs.next()) {
                    kept.add(rs.getString(1));
                }
            }
            assertThat(kept).as(vendor).containsExactly("p0.5", "p1000000");
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO tenant_prices VALUES ('t', 'big', 1000000.5, 'admin',"
                    + " CURRENT_TIMESTAMP)")).as(vendor).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void theStoreApiOffersNoWayToChangeOrRemoveAuditLines() {
        List<Method> methods = new ArrayList<>();
        Stream.of(EventStore.class, EventStore.Transaction.class, JdbcEventStore.class)
                .forEach(type -> methods.addAll(Arrays.asList(type.getDeclaredMethods())));
        assertThat(methods).map(Method::getName).filteredOn(n -> n.toLowerCase(Locale.ROOT).contains("audit"))
                .containsOnly("auditLog", "appendAudit", "auditEntry");
        assertThat(methods).map(Method::getName)
                .noneMatch(n -> n.toLowerCase(Locale.ROOT).matches(".*(delete|remove|truncate|purge).*"));
    }

    private static JdbcStores assertMigrates(DataSource dataSource, String vendor) throws SQLException {
        assertThat(JdbcStores.vendor(dataSource)).isEqualTo(vendor);
        JdbcStores stores = JdbcStores.migrateAndOpen(dataSource);
        JdbcStores.migrate(dataSource); // a second run finds nothing to do
        try (Connection c = dataSource.getConnection()) {
            for (String table : TABLES) {
                try (ResultSet rs = c.getMetaData().getTables(null, null, vendor.equals("h2") ? table.toUpperCase(Locale.ROOT) : table, null)) {
                    assertThat(rs.next()).as(table).isTrue();
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE AND \"type\" = 'SQL'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("every migration file ran").isEqualTo(migrationFiles("common")
                        + migrationFiles(vendor));
            }
            if (vendor.equals("h2")) {
                // H2 persists an identity's next value every CACHE values, each time writing out the whole store
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT TABLE_NAME, IDENTITY_CACHE"
                        + " FROM INFORMATION_SCHEMA.COLUMNS WHERE IS_IDENTITY = 'YES' AND TABLE_SCHEMA = 'PUBLIC'")) {
                    int identities = 0;
                    while (rs.next()) {
                        identities++;
                        assertThat(rs.getLong(2)).as(rs.getString(1)).isEqualTo(100_000);
                    }
                    assertThat(identities).isEqualTo(2);
                }
            }
        }
        assertThat(stores.eventStore().auditLog("nobody", 10, null).items()).isEmpty();
        return stores;
    }

    private static int migrationFiles(String folder) {
        try (var files = java.nio.file.Files.list(java.nio.file.Path.of(
                MigrationTest.class.getClassLoader().getResource("db/migration/" + folder).toURI()))) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
        } catch (java.io.IOException | java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
