package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;

import java.util.UUID;

class InMemoryPriceOverrideStoreTest extends PriceOverrideStoreContract {
    private final InMemoryPriceOverrideStore store = new InMemoryPriceOverrideStore();

    @Override
    protected PriceOverrideStore store() {
        return store;
    }

    @Override
    protected String newTenant() {
        return "t-" + UUID.randomUUID();
    }
}
