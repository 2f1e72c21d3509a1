package io.onloop.domain.access;

import java.util.List;
import java.util.Optional;

/** What would lock a tenant's people out of administering it, refused before it happens. */
public final class Lockout {
    private Lockout() {
    }

    /**
     * Why {@code user} may not be disabled by {@code actor} (a user name, or a token's name when a token acts),
     * if it may not: nobody disables themselves, and the last enabled admin stays, or nobody could enable
     * anyone again.
     */
    public static Optional<String> whyNotDisable(List<User> users, User user, String actor, boolean actorIsUser) {
        if (actorIsUser && user.username().equals(actor)) {
            return Optional.of("you cannot disable yourself; another admin can");
        }
        if (user.role() == Role.ADMIN && !user.disabled() && users.stream()
                .noneMatch(u -> u.role() == Role.ADMIN && !u.disabled() && !u.id().equals(user.id()))) {
            return Optional.of("'" + user.username() + "' is the last enabled admin; create another admin first");
        }
        return Optional.empty();
    }
}
