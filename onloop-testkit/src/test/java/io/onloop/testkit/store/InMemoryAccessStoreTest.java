package io.onloop.testkit.store;

import io.onloop.domain.access.AccessStore;

/** The fake keeps the same contract as the real stores. */
class InMemoryAccessStoreTest extends AccessStoreContract {
    @Override
    protected AccessStore store() {
        return new InMemoryAccessStore();
    }
}
