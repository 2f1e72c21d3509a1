package io.onloop.adapters.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.store.EventStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The updates a store batch runs thousands of times are prepared once per PostgreSQL connection, even on the app's
 * connections (prepareThreshold=0), and the plan PostgreSQL then caches for them looks the row up in an index, even
 * when made while the tables are small enough for a sequential scan to be cheaper: a scan cached then would read
 * the whole table for every row once it has grown (docs/benchmarks.md, "a cached plan").
 */
class PostgresFlushStatementsTest {
    private static final Map<String, String> TABLES = Map.of(JdbcEventStore.UPDATE_ALERT, "incident_alerts",
            JdbcEventStore.UPDATE_INCIDENT, "incidents", JdbcEventStore.UPDATE_EVENT_REPEATS, "events");
    /** What flush() may prepare on the connection: the updates above and its inserts, nothing a transaction runs before. */
    private static final List<String> FLUSHED = List.of("UPDATE incident_alerts SET firing", "UPDATE incidents SET title",
            "UPDATE events SET repeat_count", "INSERT INTO events (", "INSERT INTO event_repeats",
            "INSERT INTO incident_labels", "INSERT INTO incident_timeline");
    private static final Instant T0 = Instant.parse("2026-11-24T09:00:00Z");

    private TestDatabase db;
    private HikariDataSource one;
    private EventStore store;
    private final IncidentGrouping grouping = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);

    @BeforeEach
    void smallTables() throws SQLException {
        db = TestDatabase.postgres();
        JdbcStores.migrateAndOpen(db.dataSource);
        one = oneConnection("");
        one.addDataSourceProperty("prepareThreshold", "0"); // as the app's connections (PostgresConnections)
        store = new JdbcEventStore(one, null, "postgresql");
        store(EventStatus.FIRING, 0); // eight incidents, one alert and one event each
        try (Connection c = one.getConnection(); Statement st = c.createStatement()) {
            st.execute("ANALYZE incidents, incident_alerts, events"); // small, and the planner knows it
        }
    }

    /** A pool of one connection to the test database, to see what was prepared on it; parameters as {@code a=b&c=d}. */
    private HikariDataSource oneConnection(String urlParameters) {
        HikariDataSource pool = new HikariDataSource();
        String url = db.dataSource.getJdbcUrl();
        pool.setJdbcUrl(urlParameters.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + urlParameters);
        pool.setUsername(db.dataSource.getUsername());
        pool.setPassword(db.dataSource.getPassword());
        pool.setMaximumPoolSize(1);
        return pool;
    }

    @AfterEach
    void drop() {
        if (one != null) {
            one.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** One transaction: the same eight alerts, with this status. */
    private void store(EventStatus status, int second) {
        store.inTransaction(tx -> {
            for (int i = 0; i < 8; i++) {
                grouping.apply(tx, new Event(Ids.newId(T0), "flush-tenant", null, SourceType.GENERIC,
                        T0.plusSeconds(second), null, status, Severity.HIGH, null, "disk full", null, null,
                        Map.of("host", "db-" + i), "fp-" + i, null, null, null));
            }
            return null;
        });
    }

    @Test
    void onSmallTablesAPlanMadeWithSequentialScansOffIsAnIndexLookupAndOtherwiseAScan() throws SQLException {
        try (Connection c = one.getConnection(); Statement st = c.createStatement()) {
            st.execute("SET plan_cache_mode = force_generic_plan");
            int n = 0;
            for (var update : TABLES.entrySet()) {
                String name = "update_" + n++;
                st.execute("PREPARE " + name + " AS " + numbered(update.getKey()));
                assertThat(explain(st, name, update.getKey())).as("the trap, as usual: " + update.getKey())
                        .contains("Seq Scan on " + update.getValue());
                c.setAutoCommit(false);
                st.execute(JdbcEventStore.NO_SEQUENTIAL_SCANS);
                st.execute("DEALLOCATE " + name); // made again, now
                st.execute("PREPARE " + name + " AS " + numbered(update.getKey()));
                assertFindsTheRow(explain(st, name, update.getKey()), update.getValue(), "as flush() plans it: ");
                c.rollback();
                c.setAutoCommit(true);
                st.execute("DEALLOCATE " + name);
            }
        }
    }

    @Test
    void theBatchUpdatesArePreparedOnceAndThePlanCachedForThemIsAnIndexLookup() throws SQLException {
        store(EventStatus.FIRING, 1); // repeats: eight updates of the alerts and of the incidents
        store(EventStatus.FIRING, 2);
        store(EventStatus.RESOLVED, 3); // the repeats are written onto the eight events
        try (Connection c = one.getConnection(); Statement st = c.createStatement()) {
            Map<String, String> prepared = new HashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT name, statement FROM pg_prepared_statements WHERE NOT from_sql")) {
                while (rs.next()) {
                    prepared.put(rs.getString("statement"), rs.getString("name"));
                }
            }
            for (var update : TABLES.entrySet()) {
                String name = prepared.get(numbered(update.getKey()));
                assertThat(name).as("prepared on the connection: " + update.getKey()).isNotNull();
                // sequential scans are on again here: what this shows is the plan cached while they were off
                assertFindsTheRow(explain(st, name, update.getKey()), update.getValue(), "cached: ");
            }
            assertThat(prepared.keySet()).as("nothing else: the connection's own setting holds for other statements")
                    .allMatch(sql -> FLUSHED.stream().anyMatch(sql::startsWith));
        }
    }

    /**
     * By an index, never a scan of the table. By the primary key with nothing left to filter, except for an alert
     * on tables this small: there PostgreSQL may as well seek the (fingerprint, ...) index and filter by incident.
     */
    private static void assertFindsTheRow(String plan, String table, String what) {
        assertThat(plan).as(what + table).contains("Index Scan using ").doesNotContain("Seq Scan");
        if (!table.equals("incident_alerts")) {
            assertThat(plan).as(what + table).contains("Index Scan using " + table + "_pkey on " + table)
                    .doesNotContain("Filter");
        }
    }

    private static String explain(Statement st, String name, String sql) throws SQLException {
        int params = (int) sql.chars().filter(ch -> ch == '?').count();
        List<String> plan = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("EXPLAIN EXECUTE \"" + name + "\"(" + String.join(", ",
                Collections.nCopies(params, "NULL")) + ")")) {
            while (rs.next()) {
                plan.add(rs.getString(1));
            }
        }
        return String.join("\n", plan);
    }

    @Test
    void aUrlThatSetsPrepareThresholdIsObeyed() throws SQLException {
        // as behind a PgBouncer that cannot keep prepared statements
        try (HikariDataSource optedOut = oneConnection("prepareThreshold=0")) {
            store = new JdbcEventStore(optedOut, null, "postgresql");
            store(EventStatus.FIRING, 1);
            store(EventStatus.FIRING, 2);
            try (Connection c = optedOut.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_prepared_statements")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    /** JDBC's ? placeholders as PostgreSQL's $1, $2, ... (none of these statements has a literal '?'). */
    private static String numbered(String sql) {
        StringBuilder out = new StringBuilder();
        int n = 0;
        for (char ch : sql.toCharArray()) {
            out.append(ch == '?' ? "$" + ++n : String.valueOf(ch));
        }
        return out.toString();
    }
}
