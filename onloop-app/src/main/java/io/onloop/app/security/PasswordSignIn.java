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
        LoginThrottle.Turn turn = throttle.attempt(username, checkWait);
        if (turn instanceof LoginThrottle.Locked(Duration retryAfter)) {
            return new Locked(retryAfter);
        }
        if (!(turn instanceof LoginThrottle.Go go)) {
            return new Busy(); // this name's places were all being checked
        }
        boolean failed = false; // not a failure if the password is never checked (no turn, no database)
        try {
            if (!turn()) {
                return new Busy();
            }
            Optional<User> user;
            boolean matches;
            try {
                user = access.findUserByName(username).filter(u -> !u.disabled());
                matches = password.length() <= Secrets.MAX_PASSWORD
                        && passwords.matches(password, user.map(User::passwordHash).orElse(decoyHash));
            } finally {
                checks.release();
            }
            if (user.isEmpty() || !matches) {
                failed = true;
                return new Wrong();
            }
            return new SignedIn(user.get());
        } finally {
            throttle.done(go, failed);
        }
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
