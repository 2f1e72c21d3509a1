package io.onloop.app.security;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.User;
import org.springframework.security.crypto.password.PasswordEncoder;

import java.time.Duration;
import java.util.Optional;

/**
 * Checks a local user's password (Argon2), for the console's sign-in and the API's Basic alike. An
 * unknown or disabled name costs as long as a wrong password (it is checked against a decoy hash),
 * and a name with too many recent failures is refused without its password being checked
 * ({@link LoginThrottle}).
 */
final class PasswordSignIn {
    private final AccessStore access;
    private final PasswordEncoder passwords;
    private final LoginThrottle throttle;
    /** Compared against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;

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

    PasswordSignIn(AccessStore access, PasswordEncoder passwords, LoginThrottle throttle) {
        this.access = access;
        this.passwords = passwords;
        this.throttle = throttle;
        this.decoyHash = passwords.encode(Secrets.newPassword());
    }

    Outcome check(String username, String password) {
        Optional<Duration> locked = throttle.attempt(username);
        if (locked.isPresent()) {
            return new Locked(locked.get());
        }
        Optional<User> user = access.findUserByName(username).filter(u -> !u.disabled());
        boolean matches = password.length() <= Secrets.MAX_PASSWORD
                && passwords.matches(password, user.map(User::passwordHash).orElse(decoyHash));
        if (user.isEmpty() || !matches) {
            return new Wrong(); // counted already, by the attempt
        }
        throttle.succeeded(username);
        return new SignedIn(user.get());
    }
}
