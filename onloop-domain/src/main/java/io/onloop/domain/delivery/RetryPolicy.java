package io.onloop.domain.delivery;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When to try a failed delivery again: exponential backoff with full jitter (a random wait between
 * half and all of {@code base * 2^(attempt-1)}, capped), never sooner than the target's Retry-After up to the
 * cap: a Retry-After of a year would otherwise hold the rest of its thread, the resolve included, for a year.
 * After {@code maxAttempts} the delivery is dead.
 */
public record RetryPolicy(Duration base, Duration cap, int maxAttempts) {

    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofSeconds(5), Duration.ofMinutes(10), 20);

    /** @param attempt the attempt that just failed, 1 for the first */
    public Duration delay(int attempt, Duration retryAfter, RandomGenerator random) {
        long capMs = cap.toMillis();
        long exp = base.toMillis() << Math.min(attempt - 1, 30);
        long ceiling = Math.min(capMs, exp < 0 ? capMs : exp);
        long wait = ceiling / 2 + (ceiling / 2 > 0 ? random.nextLong(ceiling - ceiling / 2 + 1) : 0);
        if (retryAfter != null) {
            wait = Math.max(wait, retryAfter.compareTo(cap) > 0 ? capMs : retryAfter.toMillis());
        }
        return Duration.ofMillis(wait);
    }

    public boolean exhausted(int attempts) {
        return attempts >= maxAttempts;
    }
}
