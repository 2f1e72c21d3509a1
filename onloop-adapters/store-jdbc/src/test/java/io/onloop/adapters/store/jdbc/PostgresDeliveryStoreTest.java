package io.onloop.adapters.store.jdbc;

import io.onloop.testkit.delivery.DeliveryStoreContract;

/** The outbox, silence and routing-file contract on PostgreSQL, a fresh database per test. */
class PostgresDeliveryStoreTest extends DeliveryStoreContract {
    @Override
    protected Stores open() {
        TestDatabase db = TestDatabase.postgres();
        JdbcStores stores = JdbcStores.migrateAndOpen(db.dataSource);
        return new Stores(stores.deliveryStore(), stores.silenceStore(), stores.routingConfigStore(), stores.ticketStore(), stores.groupLog(), db);
    }
}
