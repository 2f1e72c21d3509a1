package io.onloop.adapters.store.jdbc;

import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.store.EventStore;
import io.onloop.testkit.runbook.RecipeStoreContract;
import io.onloop.testkit.store.EventStoreContract;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The EventStore contract over a database of the subclass's (one for the class; each test uses its own tenants). */
abstract class JdbcEventStoreContract extends EventStoreContract {

    abstract TestDatabase db();

    abstract JdbcStores stores();

    @Override
    protected EventStore store() {
        return stores().eventStore();
    }

    @Override
    protected Map<String, Long> rowsPerTable(String tenant) {
        return db().rowsPerTable(tenant);
    }

    @Override
    protected void giveRecipe(String tenant, UUID incidentId) {
        stores().recipeStore().putIncidentRecipe(tenant, incidentId,
                RecipeStoreContract.recipe("kept with its incident", Recipe.Source.KNOWLEDGE_BASE), Instant.now());
    }
}
