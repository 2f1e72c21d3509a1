package io.onloop.testkit.store;

import io.onloop.domain.store.EventStore;

/** The fake keeps the same contract as the real stores. */
class InMemoryEventStoreTest extends EventStoreContract {
    @Override
    protected EventStore store() {
        return new InMemoryEventStore();
    }
}
