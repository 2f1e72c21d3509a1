package io.onloop.domain.ingest;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * How work that competes with storing for the database (recipes, retention) makes way for it: it waits until storing
 * has been idle for {@link #QUIET_PERIOD}, but never past its deadline. An idle instant is not enough: under steady
 * load storing touches idle between batches, and work written then competes with the next batch.
 */
public final class StoringQuiet {
    public static final Duration QUIET_PERIOD = Duration.ofMillis(250);

    private StoringQuiet() {
    }

    /**
     * @param storingIdleFor {@link EventIngestor#storingIdleFor}, or a stand-in
     * @param deadlineNanos  on {@link System#nanoTime()}'s scale
     * @return false if interrupted (the thread keeps its interrupt)
     */
    public static boolean await(Supplier<Duration> storingIdleFor, long deadlineNanos) {
        try {
            while (System.nanoTime() < deadlineNanos && storingIdleFor.get().compareTo(QUIET_PERIOD) < 0) {
                Thread.sleep(20);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
