package io.onloop.adapters.store.jdbc;

import io.onloop.domain.store.EventStore;
import io.onloop.testkit.store.EventStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The EventStore contract on Postgres (one database for the class; each test uses its own tenants). */
class PostgresEventStoreTest extends EventStoreContract {
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
    protected EventStore store() {
        return stores.eventStore();
    }
}
