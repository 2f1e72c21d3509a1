package io.onloop.adapters.store.jdbc;

import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.store.EventStore;
import io.onloop.testkit.runbook.RecipeStoreContract;
import io.onloop.testkit.store.EventStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

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

    @Override
    protected Map<String, Long> rowsPerTable(String tenant) {
        return db.rowsPerTable(tenant);
    }

    @Override
    protected void giveRecipe(String tenant, UUID incidentId) {
        stores.recipeStore().putIncidentRecipe(tenant, incidentId,
                RecipeStoreContract.recipe("kept with its incident", Recipe.Source.KNOWLEDGE_BASE), Instant.now());
    }
}
