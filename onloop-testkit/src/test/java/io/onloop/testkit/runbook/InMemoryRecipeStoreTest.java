package io.onloop.testkit.runbook;

import io.onloop.domain.runbook.RecipeStore;

import java.util.UUID;

class InMemoryRecipeStoreTest extends RecipeStoreContract {
    private final InMemoryRecipeStore store = new InMemoryRecipeStore();

    @Override
    protected RecipeStore store() {
        return store;
    }

    @Override
    protected String newTenant() {
        return "t-" + UUID.randomUUID();
    }
}
