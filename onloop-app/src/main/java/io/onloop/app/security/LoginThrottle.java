package io.onloop.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;

/**
 * Stops password guessing, for the console's sign-in and the API's Basic alike: after
 * {@code maxFailures} wrong passwords for one user name within {@code window}, that name is refused
 * without its password being checked until the oldest of those failures is {@code window} old.
 * A correct password clears the count.
 * <p>
 * Per user name, as Grafana and GitLab do, not per client address: behind a reverse proxy every
 * client has the proxy's address, and a per-address count would lock everyone out at once. The
 * price is that someone who knows a name can keep it locked; its owner can still use an API token.
 * Unknown names are counted like real ones, so a refusal never tells which names exist. Caffeine
 * bounds the memory (a flood of made-up names evicts rarely used entries, not the busy ones).
 */
final class LoginThrottle {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    /** Each name's recent failures, oldest first, at most maxFailures of them. */
    private final Cache<String, Deque<Instant>> failures;

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("onloop.login needs max-failures >= 1 and a positive failure-window");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.failures = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(window).build();
    }

    /** How long this name is still refused, if it is. */
    Optional<Duration> lockedFor(String username) {
        Deque<Instant> recent = failures.getIfPresent(key(username));
        if (recent == null) {
            return Optional.empty();
        }
        synchronized (recent) {
            Instant now = clock.instant();
            recent.removeIf(at -> !at.plus(window).isAfter(now));
            if (recent.size() < maxFailures) {
                return Optional.empty();
            }
            return Optional.of(Duration.between(now, recent.peekFirst().plus(window)));
        }
    }

    void failed(String username) {
        failures.asMap().compute(key(username), (k, recent) -> {
            Deque<Instant> d = recent == null ? new ArrayDeque<>() : recent;
            synchronized (d) {
                d.addLast(clock.instant());
                while (d.size() > maxFailures) {
                    d.removeFirst();
                }
            }
            return d;
        });
    }

    void succeeded(String username) {
        failures.invalidate(key(username));
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
