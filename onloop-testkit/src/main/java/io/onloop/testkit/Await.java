package io.onloop.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for something another thread does, polling; fails the test if it does not happen in time. */
public final class Await {
    private Await() {
    }

    /** Within 5 s. */
    public static void until(BooleanSupplier condition) {
        until(condition, Duration.ofSeconds(5));
    }

    public static void until(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout.toMillis() + " ms");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
