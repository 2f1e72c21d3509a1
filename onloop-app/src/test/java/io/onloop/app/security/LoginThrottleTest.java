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

    /** A wrong password: the attempt is let through, then counted. */
    private void fail(String name) {
        throttle.done(go(name), true);
    }

    private LoginThrottle.Go go(String name) {
        return (LoginThrottle.Go) assertThat(throttle.attempt(name, Duration.ZERO))
                .isInstanceOf(LoginThrottle.Go.class).actual();
    }

    private Duration locked(String name) {
        return ((LoginThrottle.Locked) assertThat(throttle.attempt(name, Duration.ZERO))
                .isInstanceOf(LoginThrottle.Locked.class).actual()).retryAfter();
    }

    @Test
    void aNameIsLockedAtTheLimitUntilItsOldestCountedFailureLeavesTheWindow() {
        fail("alice");
        clock.advance(Duration.ofSeconds(60));
        fail("alice");
        clock.advance(Duration.ofSeconds(60));
        fail("alice");

        assertThat(locked("alice")).isEqualTo(Duration.ofMinutes(3)); // the first failure is 2 min old
        clock.advance(Duration.ofSeconds(179));
        assertThat(locked("alice")).isEqualTo(Duration.ofSeconds(1)); // refusals are not counted
        clock.advance(Duration.ofSeconds(1));
        fail("alice"); // the first failure left the window
        assertThat(locked("alice")).isEqualTo(Duration.ofMinutes(1)); // the second is now the oldest
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverLock() {
        for (int i = 0; i < 20; i++) {
            fail("bob");
            clock.advance(Duration.ofMinutes(3));
        }
    }

    @Test
    void aCorrectPasswordLeavesTheFailuresCounted() {
        fail("carol");
        fail("carol");
        throttle.done(go("carol"), false); // e.g. a script signing in: the two guesses still count

        fail("carol");
        locked("carol");
    }

    @Test
    void namesAreCountedApartEvenWhenTheyDifferOnlyInCase() {
        fail("dave");
        fail("dave");
        fail("dave");
        locked("dave");
        go("Dave"); // user names are case-sensitive: another user
    }

    @Test
    void parallelGuessesGetNoMoreChecksThanTheLimit() throws Exception {
        int letThrough;
        try (var pool = Executors.newFixedThreadPool(16)) {
            var attempts = new ArrayList<Future<LoginThrottle.Turn>>();
            for (int i = 0; i < 200; i++) {
                attempts.add(pool.submit(() -> throttle.attempt("erin", Duration.ZERO)));
            }
            letThrough = 0;
            for (var a : attempts) {
                LoginThrottle.Turn turn = a.get();
                letThrough += turn instanceof LoginThrottle.Go ? 1 : 0;
                assertThat(turn).isNotInstanceOf(LoginThrottle.Locked.class); // nothing has failed yet
            }
        }
        assertThat(letThrough).isEqualTo(3);
    }

    @Test
    void parallelSignInsWithTheRightPasswordAllGoThroughInTurn() throws Exception {
        try (var pool = Executors.newFixedThreadPool(10)) {
            var attempts = new ArrayList<Future<LoginThrottle.Turn>>();
            for (int i = 0; i < 10; i++) {
                attempts.add(pool.submit(() -> {
                    LoginThrottle.Turn turn = throttle.attempt("frank", Duration.ofSeconds(10));
                    if (turn instanceof LoginThrottle.Go go) {
                        Thread.sleep(20); // the password being checked
                        throttle.done(go, false);
                    }
                    return turn;
                }));
            }
            for (var a : attempts) {
                assertThat(a.get()).isInstanceOf(LoginThrottle.Go.class);
            }
        }
    }

    @Test
    void attemptsWaitingForTheirTurnAreRefusedOnceTheOnesBeforeThemFail() throws Exception {
        var first = new ArrayList<LoginThrottle.Go>();
        for (int i = 0; i < 3; i++) {
            first.add(go("gina"));
        }
        try (var pool = Executors.newSingleThreadExecutor()) {
            Future<LoginThrottle.Turn> waiting = pool.submit(() -> throttle.attempt("gina", Duration.ofSeconds(10)));
            Thread.sleep(100);
            assertThat(waiting).isNotDone();
            first.forEach(go -> throttle.done(go, true));
            assertThat(waiting.get()).isInstanceOf(LoginThrottle.Locked.class);
        }
        assertThat(throttle.attempt("gina", Duration.ZERO)).isInstanceOf(LoginThrottle.Locked.class);
        assertThat(throttle.attempt("hugo", Duration.ZERO)).isInstanceOf(LoginThrottle.Go.class);
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottle(0, Duration.ofMinutes(5), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
