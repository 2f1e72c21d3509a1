package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.AccessStore;
import io.onloop.testkit.store.AccessStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The AccessStore contract on H2 (one database for the class; each test uses its own tenants). */
class H2AccessStoreTest extends AccessStoreContract {
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
    protected AccessStore store() {
        return stores.accessStore();
    }
}
