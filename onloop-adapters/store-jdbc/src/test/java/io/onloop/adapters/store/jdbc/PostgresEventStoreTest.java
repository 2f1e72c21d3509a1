package io.onloop.adapters.store.jdbc;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The EventStore contract on Postgres. */
class PostgresEventStoreTest extends JdbcEventStoreContract {
    static TestDatabase db;
    static JdbcStores stores;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.postgres();
        stores = JdbcStores.migrateAndOpen(db.dataSource);
    }

    @AfterAll
    static void drop() {
        if (db != null) {
            db.close();
        }
    }

    @Override
    TestDatabase db() {
        return db;
    }

    @Override
    JdbcStores stores() {
        return stores;
    }
}
