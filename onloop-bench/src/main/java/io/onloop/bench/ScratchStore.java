package io.onloop.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.store.EventStore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;

/**
 * A migrated event store for one benchmark run, deleted afterwards: embedded H2 in a temporary folder, or a database
 * of its own on the local PostgreSQL (connected as the server connects: {@code prepareThreshold=0}).
 * {@code -Dbench.keepDatabase=true} leaves the PostgreSQL database behind, to look at plans.
 */
final class ScratchStore implements AutoCloseable {
    private static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/";

    private final Path dir;
    private final String pgDb;
    private final HikariDataSource ds;
    private final EventStore store;

    /** @param db {@code h2} or {@code pg}; @param h2Options appended to H2's URL (e.g. {@code ;QUERY_CACHE_SIZE=64}) */
    ScratchStore(String db, String name, String h2Options) throws IOException, SQLException {
        HikariConfig cfg = new HikariConfig();
        if (db.equals("h2")) {
            dir = Files.createTempDirectory("onloop-" + name);
            pgDb = null;
            cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop") + ";DB_CLOSE_ON_EXIT=FALSE" + h2Options);
        } else {
            dir = null;
            pgDb = "onloop_" + name.replace('-', '_') + "_" + ProcessHandle.current().pid();
            admin("CREATE DATABASE " + pgDb);
            cfg.setJdbcUrl(POSTGRES + pgDb + "?prepareThreshold=0");
            cfg.setUsername("postgres");
        }
        ds = new HikariDataSource(cfg);
        try {
            store = JdbcStores.migrateAndOpen(ds).eventStore();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    EventStore store() {
        return store;
    }

    /** After filling: PostgreSQL plans with fresh statistics (H2 needs nothing). */
    void analyze() throws SQLException {
        if (pgDb != null) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
        }
    }

    @Override
    public void close() throws IOException, SQLException {
        ds.close();
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } else if (Boolean.getBoolean("bench.keepDatabase")) {
            System.out.println("kept for EXPLAIN: psql -h 127.0.0.1 -U postgres " + pgDb);
        } else {
            admin("DROP DATABASE IF EXISTS " + pgDb);
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(POSTGRES + "postgres", "postgres", ""); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
