package io.onloop.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stops password guessing, for the console's sign-in and the API's Basic alike: once
 * {@code maxFailures} wrong passwords for one user name fall within {@code window}, that name is
 * refused without its password being checked until the oldest of them is {@code window} old.
 * <p>
 * Each attempt is counted as a failure before its password is checked, and taken back if the
 * password is right: so a burst of parallel guesses cannot all slip in before the first failure is
 * recorded, and a correct sign-in (say a script's) does not wipe out someone else's guesses.
 * <p>
 * Per user name, as Grafana and GitLab do, not per client address: behind a reverse proxy every
 * client has the proxy's address, and a per-address count would lock everyone out at once. The
 * price is that someone who knows a name can keep it locked; its owner can still use an API token.
 * Unknown names are counted like real ones, so a refusal never tells which names exist. Names are
 * kept as SHA-256 digests, so a long made-up name costs no more memory than a short one, and
 * Caffeine bounds their number (a flood of made-up names evicts rarely used entries, not busy ones).
 */
final class LoginThrottle {
    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    /** Each name's failures within the window, oldest first, at most maxFailures of them. */
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

    /**
     * An attempt to sign in as {@code username}: how long the name is still refused, if it is;
     * otherwise the attempt is counted as a failure, unless {@link #takeBack} is called for it.
     */
    Optional<Duration> attempt(String username) {
        AtomicReference<Duration> locked = new AtomicReference<>();
        failures.asMap().compute(Secrets.sha256Hex(username), (key, recent) -> {
            Deque<Instant> d = recent == null ? new ArrayDeque<>() : recent;
            Instant now = clock.instant();
            d.removeIf(at -> !at.plus(window).isAfter(now));
            if (d.size() >= maxFailures) {
                locked.set(Duration.between(now, d.peekFirst().plus(window)));
            } else {
                d.addLast(now);
            }
            return d;
        });
        return Optional.ofNullable(locked.get());
    }

    /** This attempt was not a failure: its password was right, or it was never checked. */
    void takeBack(String username) {
        failures.asMap().computeIfPresent(Secrets.sha256Hex(username), (key, recent) -> {
            recent.pollLast();
            return recent.isEmpty() ? null : recent;
        });
    }
}
