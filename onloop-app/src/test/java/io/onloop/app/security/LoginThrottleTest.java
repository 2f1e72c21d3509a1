package io.onloop.app.security;

import io.onloop.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);

    /** A wrong password: the attempt is let through (and counted). */
    private void fail(String name) {
        assertThat(throttle.attempt(name)).isEmpty();
    }

    @Test
    void aNameIsLockedAtTheLimitUntilItsOldestCountedFailureLeavesTheWindow() {
        fail("alice");
        clock.advance(Duration.ofSeconds(60));
        fail("alice");
        clock.advance(Duration.ofSeconds(60));
        fail("alice");

        assertThat(throttle.attempt("alice")).contains(Duration.ofMinutes(3)); // the first failure is 2 min old
        clock.advance(Duration.ofSeconds(179));
        assertThat(throttle.attempt("alice")).contains(Duration.ofSeconds(1)); // refusals are not counted
        clock.advance(Duration.ofSeconds(1));
        fail("alice"); // the first failure left the window
        assertThat(throttle.attempt("alice")).contains(Duration.ofMinutes(1)); // the second is now the oldest
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverLock() {
        for (int i = 0; i < 20; i++) {
            fail("bob");
            clock.advance(Duration.ofMinutes(3));
        }
    }

    @Test
    void aCorrectPasswordTakesBackOnlyItsOwnAttempt() {
        fail("carol");
        fail("carol");
        assertThat(throttle.attempt("carol")).isEmpty();
        throttle.takeBack("carol"); // e.g. a script signing in: the two guesses still count

        fail("carol");
        assertThat(throttle.attempt("carol")).isPresent();
    }

    @Test
    void namesAreCountedApartEvenWhenTheyDifferOnlyInCase() {
        fail("dave");
        fail("dave");
        fail("dave");
        assertThat(throttle.attempt("dave")).isPresent();
        assertThat(throttle.attempt("Dave")).isEmpty(); // user names are case-sensitive: another user
    }

    @Test
    void parallelGuessesGetNoMoreThanTheLimit() throws Exception {
        int letThrough;
        try (var pool = Executors.newFixedThreadPool(16)) {
            var attempts = new ArrayList<Future<Boolean>>();
            for (int i = 0; i < 200; i++) {
                attempts.add(pool.submit(() -> throttle.attempt("erin").isEmpty()));
            }
            letThrough = 0;
            for (var a : attempts) {
                letThrough += a.get() ? 1 : 0;
            }
        }
        assertThat(letThrough).isEqualTo(3);
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottle(0, Duration.ofMinutes(5), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
