package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.Tenant;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.testkit.rightsizing.PriceOverrideStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Instant;
import java.util.UUID;

/** The PriceOverrideStore contract on H2. */
class H2PriceOverrideStoreTest extends PriceOverrideStoreContract {
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
    protected PriceOverrideStore store() {
        return stores.priceOverrideStore();
    }

    @Override
    protected String newTenant() {
        String id = "t-" + UUID.randomUUID().toString().substring(0, 13);
        stores.accessStore().createTenant(new Tenant(id, id, Instant.now()));
        return id;
    }
}
