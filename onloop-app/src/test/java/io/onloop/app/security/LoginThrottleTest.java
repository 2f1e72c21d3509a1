package io.onloop.app.security;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {
    private Instant now = Instant.parse("2026-11-23T03:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final LoginThrottle throttle = new LoginThrottle(3, Duration.ofMinutes(5), clock);

    @Test
    void aNameIsLockedAtTheLimitUntilItsOldestCountedFailureLeavesTheWindow() {
        throttle.failed("alice");
        now = now.plusSeconds(60);
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).isEmpty();
        now = now.plusSeconds(60);
        throttle.failed("alice");

        assertThat(throttle.lockedFor("alice")).contains(Duration.ofMinutes(3)); // the first failure is 2 min old
        now = now.plusSeconds(179);
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofSeconds(1));
        now = now.plusSeconds(1);
        assertThat(throttle.lockedFor("alice")).isEmpty(); // two failures left in the window
        throttle.failed("alice");
        assertThat(throttle.lockedFor("alice")).contains(Duration.ofMinutes(1)); // the second is now the oldest
    }

    @Test
    void failuresSpreadOverMoreThanTheWindowNeverLock() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("bob");
            now = now.plus(Duration.ofMinutes(3));
            assertThat(throttle.lockedFor("bob")).isEmpty();
        }
    }

    @Test
    void aCorrectPasswordClearsTheCountAndNamesAreCountedApartWhateverTheirCase() {
        throttle.failed("carol");
        throttle.failed("carol");
        throttle.succeeded("carol");
        throttle.failed("carol");
        throttle.failed("carol");
        assertThat(throttle.lockedFor("carol")).isEmpty();

        throttle.failed("CAROL");
        assertThat(throttle.lockedFor("Carol")).isPresent();
        assertThat(throttle.lockedFor("dave")).isEmpty();
    }

    @Test
    void nonsenseLimitsAreRefused() {
        assertThatThrownBy(() -> new LoginThrottle(0, Duration.ofMinutes(5), clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LoginThrottle(5, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
