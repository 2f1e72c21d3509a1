package io.onloop.adapters.store.jdbc;

import io.onloop.domain.access.Tenant;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.testkit.rightsizing.PriceOverrideStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Instant;
import java.util.UUID;

/** The PriceOverrideStore contract on Postgres. */
class PostgresPriceOverrideStoreTest extends PriceOverrideStoreContract {
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
