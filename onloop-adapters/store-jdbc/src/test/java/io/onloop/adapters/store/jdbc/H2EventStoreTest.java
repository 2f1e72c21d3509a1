package io.onloop.adapters.store.jdbc;

import io.onloop.domain.store.EventStore;
import io.onloop.testkit.store.EventStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The EventStore contract on H2 (one database for the class; each test uses its own tenants). */
class H2EventStoreTest extends EventStoreContract {
    @TempDir
    static Path dir;

    static TestDatabase db;
    static JdbcStores stores;

    @BeforeAll
    static void migrate() {
        db = TestDatabase.h2(dir);
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
