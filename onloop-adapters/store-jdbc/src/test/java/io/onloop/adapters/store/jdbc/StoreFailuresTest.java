package io.onloop.adapters.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.store.StoreUnreachableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database that cannot be reached is reported as such (callers wait it out, the API answers 503), every other
 * database error as a store failure; neither quotes the driver's message.
 */
class StoreFailuresTest {

    @Test
    void aDatabaseNobodyListensForIsUnreachable() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/onloop"); // port 1: refused at once
        config.setUsername("postgres");
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1); // the pool starts; each borrow fails
        try (HikariDataSource ds = new HikariDataSource(config)) {
            assertThatThrownBy(() -> new JdbcDeliveryStore(ds).deliveries("t", DeliveryStatus.PENDING, 10))
                    .isInstanceOf(StoreUnreachableException.class)
                    .hasMessage("delivery store failed (SQLState 08001, SQLTransientConnectionException, vendor code 0)");
        }
    }

    @Test
    void aServerRestartingOrATransactionToRetryIsUnreachableToo() {
        for (String state : java.util.List.of("08006", "57P01", "57P03", "40001", "40P01")) {
            assertThat(JdbcEventStore.failure("x", new java.sql.SQLException("m", state)))
                    .as(state).isInstanceOf(StoreUnreachableException.class);
        }
        for (String state : java.util.List.of("23505", "42P01", "22001")) {
            assertThat(JdbcEventStore.failure("x", new java.sql.SQLException("m", state)))
                    .as(state).isInstanceOf(JdbcStoreException.class);
        }
    }

    @Test
    void anyOtherFailureIsAStoreFailure(@TempDir Path dir) {
        try (TestDatabase db = TestDatabase.h2(dir)) { // not migrated: no tables
            assertThatThrownBy(() -> new JdbcDeliveryStore(db.dataSource).deliveries("t", DeliveryStatus.PENDING, 10))
                    .isInstanceOf(JdbcStoreException.class).isNotInstanceOf(StoreUnreachableException.class)
                    .hasMessageStartingWith("delivery store failed (SQLState 42");
        }
    }
}
