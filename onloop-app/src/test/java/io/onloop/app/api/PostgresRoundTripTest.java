package io.onloop.app.api;

import io.onloop.app.AppTestBase;
import io.onloop.app.Http;
import io.onloop.app.OnloopApplication;
import io.onloop.app.RoundTrip;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same round trip as {@link H2RoundTripTest}, with onloop on PostgreSQL (127.0.0.1:5432, user
 * postgres) in a database made for this class and dropped after it. Without PostgreSQL it is
 * skipped, except under CI=true, where it fails.
 */
@SpringBootTest(classes = OnloopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(AppTestBase.TestBeans.class)
@DirtiesContext
class PostgresRoundTripTest {
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = "postgres";
    private static final String DATABASE = "onloop_app_test_" + UUID.randomUUID().toString().replace("-", "");
    private static final String ADMIN_TOKEN = "olt_postgres-round-trip-admin";

    @TempDir
    static Path dataDir;

    @LocalServerPort
    int port;

    @BeforeAll
    static void createDatabase() throws SQLException {
        try (Connection c = admin()) {
            c.createStatement().execute("CREATE DATABASE " + DATABASE);
        }
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        try (Connection c = admin()) {
            c.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    private static Connection admin() throws SQLException {
        try {
            return DriverManager.getConnection(SERVER + "postgres", USER, "");
        } catch (SQLException e) {
            if ("true".equals(System.getenv("CI"))) {
                throw new SQLException("PostgreSQL must be reachable on 127.0.0.1:5432 under CI", e);
            }
            Assumptions.abort("PostgreSQL is not reachable on 127.0.0.1:5432: " + e.getMessage());
            throw e;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> SERVER + DATABASE);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> "");
        registry.add("onloop.data-dir", () -> dataDir.toString());
        registry.add("onloop.bootstrap.admin-token", () -> ADMIN_TOKEN);
    }

    @Test
    void ingestToIncidentToAcknowledgeAndResolve() {
        assertThat(RoundTrip.run(new Http(port), ADMIN_TOKEN)).containsExactlyElementsOf(RoundTrip.EXPECTED);
    }

    @org.springframework.beans.factory.annotation.Autowired
    javax.sql.DataSource dataSource;

    /** An instance that died holding its incidents' locks must not hold up the one started in its place for good. */
    @Test
    void postgresEndsAnOnloopSessionLeftIdleInATransaction() throws SQLException {
        try (Connection c = dataSource.getConnection(); var rs = c.createStatement()
                .executeQuery("SHOW idle_in_transaction_session_timeout")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("1min");
        }
    }

    @Test
    void halfAnEmojiIsStoredAsAReplacementCharacterAndItsAlertResolves() {
        RoundTrip.halfAnEmoji(new Http(port), ADMIN_TOKEN);
    }
}
