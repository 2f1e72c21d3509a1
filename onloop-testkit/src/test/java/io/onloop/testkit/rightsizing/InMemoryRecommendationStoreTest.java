package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.copilot.RecommendationStore;

import java.util.UUID;

class InMemoryRecommendationStoreTest extends RecommendationStoreContract {
    private final InMemoryRecommendationStore store = new InMemoryRecommendationStore();

    @Override
    protected RecommendationStore store() {
        return store;
    }

    @Override
    protected String newTenant() {
        return "t-" + UUID.randomUUID();
    }
}
