package io.onloop.adapters.store.jdbc;

import io.onloop.testkit.delivery.DeliveryStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The outbox, silence and routing-file contract on H2, a fresh database file per test. */
class H2DeliveryStoreTest extends DeliveryStoreContract {
    @TempDir
    Path dir;
    private int n;

    @Override
    protected Stores open() {
        TestDatabase db = TestDatabase.h2(dir.resolve("db" + n++));
        JdbcStores stores = JdbcStores.migrateAndOpen(db.dataSource);
        return new Stores(stores.deliveryStore(), stores.silenceStore(), stores.routingConfigStore(), stores.ticketStore(), stores.groupLog(), db);
    }
}
