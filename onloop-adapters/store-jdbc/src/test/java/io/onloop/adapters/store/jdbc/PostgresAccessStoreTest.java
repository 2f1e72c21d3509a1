package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.AccessStore;
import io.onloop.testkit.store.AccessStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The AccessStore contract on Postgres (one database for the class; each test uses its own tenants). */
class PostgresAccessStoreTest extends AccessStoreContract {
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
    protected AccessStore store() {
        return stores.accessStore();
    }
}
