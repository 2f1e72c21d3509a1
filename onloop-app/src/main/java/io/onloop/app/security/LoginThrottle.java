package io.onloop.app.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stops password guessing, for the console's sign-in and the API's Basic alike: once
 * {@code maxFailures} wrong passwords for one user name fall within {@code window}, that name is
 * refused without its password being checked until the oldest of them is {@code window} old.
 * <p>
 * Attempts whose passwords are being checked count against the limit until they are done, so a burst of
 * parallel guesses cannot all slip in before the first failure is recorded: at most {@code maxFailures}
 * minus the recent failures are checked at once. Others wait for those to finish (a right password
 * frees its place, a wrong one becomes a failure), so that a script's parallel sign-ins with the right
 * password all go through, a little later; one that cannot get a place within its wait is answered busy,
 * not "too many failures", since there were none.
 * <p>
 * Per user name, as Grafana and GitLab do, not per client address: behind a reverse proxy every
 * client has the proxy's address, and a per-address count would lock everyone out at once. The
 * price is that someone who knows a name can keep it locked; its owner can still use an API token.
 * Unknown names are counted like real ones, so a refusal never tells which names exist. Names are
 * kept as SHA-256 digests, so a long made-up name costs no more memory than a short one, and
 * Caffeine bounds their number (a flood of made-up names evicts rarely used entries, not busy ones).
 */
final class LoginThrottle {
    /** What an attempt may do. */
    sealed interface Turn {
    }

    /** Check the password, then say how it went with {@link #done}. */
    static final class Go implements Turn {
        private final Name name;
        private final ReentrantLock lock;
        private final Condition settled;
        private boolean finished;

        private Go(Name name, ReentrantLock lock, Condition settled) {
            this.name = name;
            this.lock = lock;
            this.settled = settled;
        }
    }

    /** The name has had too many failures: refused, unchecked, for this long. */
    record Locked(Duration retryAfter) implements Turn {
    }

    /** As many attempts as the name may still fail are being checked, and none finished within the wait. */
    record Busy() implements Turn {
    }

    /** A name's failures within the window, oldest first, and how many of its attempts are being checked. */
    private static final class Name {
        final Deque<Instant> failures = new ArrayDeque<>();
        int checking;
    }

    private final int maxFailures;
    private final Duration window;
    private final Clock clock;
    private final Cache<String, Name> names;
    /** Striped, so that a name costs a few dozen bytes, not a lock of its own. */
    private final ReentrantLock[] locks = new ReentrantLock[64];
    private final Condition[] settled = new Condition[64];

    LoginThrottle(int maxFailures, Duration window, Clock clock) {
        if (maxFailures < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("onloop.login needs max-failures >= 1 and a positive failure-window");
        }
        this.maxFailures = maxFailures;
        this.window = window;
        this.clock = clock;
        this.names = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(window).build();
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
            settled[i] = locks[i].newCondition();
        }
    }

    /** An attempt to sign in as {@code username}, waiting at most {@code wait} for its turn. */
    Turn attempt(String username, Duration wait) {
        String key = Secrets.sha256Hex(username);
        int stripe = Math.floorMod(key.hashCode(), locks.length);
        ReentrantLock lock = locks[stripe];
        lock.lock();
        try {
            Name name = names.get(key, k -> new Name());
            long left = wait.toNanos();
            while (true) {
                Instant now = clock.instant();
                name.failures.removeIf(at -> !at.plus(window).isAfter(now));
                if (name.failures.size() >= maxFailures) {
                    return new Locked(Duration.between(now, name.failures.peekFirst().plus(window)));
                }
                if (name.failures.size() + name.checking < maxFailures) {
                    name.checking++;
                    return new Go(name, lock, settled[stripe]);
                }
                if (left <= 0) {
                    return new Busy();
                }
                left = settled[stripe].awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Busy();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The end of an attempt that went on: {@code failed} if its password was wrong (or the name unknown or disabled);
     * not failed if it was right, or was never checked after all (the database could not be asked).
     */
    void done(Go go, boolean failed) {
        go.lock.lock();
        try {
            if (go.finished) {
                return;
            }
            go.finished = true;
            go.name.checking--;
            if (failed) {
                go.name.failures.addLast(clock.instant());
            }
            go.settled.signalAll();
        } finally {
            go.lock.unlock();
        }
    }
}
