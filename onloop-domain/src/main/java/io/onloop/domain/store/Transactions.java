package io.onloop.domain.store;

import java.util.function.Supplier;

/**
 * Port: runs work whose writes, through any of the stores, are committed together or not at all. A change and
 * its audit entry go through this, so that no change is ever left without the entry that says who made it.
 */
public interface Transactions {

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. Called again
     * inside the work, it joins the transaction already running.
     */
    <T> T inOne(Supplier<T> work);

    /**
     * Runs {@code action} once the unit running on this thread has committed, never if it is rolled back; at once
     * outside a unit. For what must not happen before others can read the change, such as forgetting a cached copy
     * (forgotten before the commit, a reader in between would cache the old one again).
     */
    void afterCommit(Runnable action);

    /** For stores that each write at once (in memory): the work just runs. */
    Transactions DIRECT = new Transactions() {
        @Override
        public <T> T inOne(Supplier<T> work) {
            return work.get();
        }

        @Override
        public void afterCommit(Runnable action) {
            action.run();
        }
    };
}
