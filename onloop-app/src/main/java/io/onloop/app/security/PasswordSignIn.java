package io.onloop.app.security;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.User;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Checks a local user's password (Argon2), for the console's sign-in and the API's Basic alike. An
 * unknown or disabled name costs as long as a wrong password (it is checked against a decoy hash),
 * and a name with too many recent failures is refused without its password being checked
 * ({@link LoginThrottle}).
 * <p>
 * At most {@code maxConcurrentChecks} passwords are checked at once; a sign-in that does not get its turn
 * within {@code checkWait} is answered "busy" unchecked. A flood of made-up names (each one new to the
 * throttle) would otherwise take every core and 16 MiB of heap per check, starving ingest and the API;
 * with the bound it takes at most those cores, and API tokens and ingest (no password) keep working.
 */
final class PasswordSignIn {
    private final AccessStore access;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    /** Compared against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;
    private final Semaphore checks;
    private final Duration checkWait;

    sealed interface Outcome {
    }

    record SignedIn(User user) implements Outcome {
        OnloopPrincipal principal() {
            return new OnloopPrincipal(user.tenantId(), user.username(), user.role(), OnloopPrincipal.Kind.USER);
        }
    }

    record Wrong() implements Outcome {
    }

    record Locked(Duration retryAfter) implements Outcome {
    }

    /** Too many sign-ins were being checked: this one was not, and does not count as a failure. */
    record Busy() implements Outcome {
    }

    PasswordSignIn(AccessStore access, PasswordEncoder passwords, LoginThrottle throttle, int maxConcurrentChecks,
                   Duration checkWait) {
        if (maxConcurrentChecks < 1 || checkWait.isNegative()) {
            throw new IllegalArgumentException("onloop.login needs max-concurrent-checks >= 1 and a check-wait >= 0");
        }
        this.access = access;
        this.passwords = passwords;
        this.throttle = throttle;
        this.decoyHash = passwords.encode(Secrets.newPassword());
        this.checks = new Semaphore(maxConcurrentChecks, true); // fair: first come, first checked
        this.checkWait = checkWait;
    }

    Outcome check(String username, String password) {
        Optional<Duration> locked = throttle.attempt(username);
        if (locked.isPresent()) {
            return new Locked(locked.get());
        }
        if (!turn()) {
            throttle.takeBack(username); // not a failure: the password was never checked
            return new Busy();
        }
        Optional<User> user;
        boolean matches;
        try {
            user = access.findUserByName(username).filter(u -> !u.disabled());
            matches = password.length() <= Secrets.MAX_PASSWORD
                    && passwords.matches(password, user.map(User::passwordHash).orElse(decoyHash));
        } catch (RuntimeException e) {
            throttle.takeBack(username); // not a failure either: the database could not be asked (retrying must not lock)
            throw e;
        } finally {
            checks.release();
        }
        if (user.isEmpty() || !matches) {
            return new Wrong(); // counted already, by the attempt
        }
        throttle.takeBack(username);
        return new SignedIn(user.get());
    }

    private boolean turn() {
        try {
            return checks.tryAcquire(checkWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
