package io.onloop.domain.rightsizing;

/**
 * Recommends the allocation of a workload for the next period from its past usage only.
 * <p>
 * Recommenders are streaming, as the VPA recommender is: a {@link Workload} is fed samples in time
 * order and can be asked at any point for the next allocation. It cannot see the future because it is
 * never given it. {@link #recommend(UsageHistory)} is the one-shot form of the same thing.
 */
public interface Recommender {

    /** A short name for tables and logs. */
    String name();

    /** Starts following one workload that has {@code current} allocated now. */
    Workload follow(Allocation current);

    /** The allocation for the next period given a whole history, as if it had been followed sample by sample. */
    default Allocation recommend(UsageHistory history) {
        Workload workload = follow(history.current());
        for (UsageSample sample : history.samples()) {
            workload.observe(sample, history.current());
        }
        return workload.recommend();
    }

    /** The state a recommender keeps for one workload. Not thread-safe: one workload, one thread. */
    interface Workload {

        /**
         * Adds a sample, newer than the ones before, with the allocation that was in force when it was
         * measured (usage at or above the memory allocation is an out-of-memory event, above the CPU
         * allocation is throttling).
         */
        void observe(UsageSample sample, Allocation inForce);

        /** The allocation for the next period; the current one when there is not enough history to say. */
        Allocation recommend();
    }
}
