package io.onloop.domain.access;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LockoutTest {
    private static User user(String name, Role role, boolean disabled) {
        return new User(UUID.randomUUID(), "t", name, "hash", role, disabled, Instant.EPOCH);
    }

    @Test
    void nobodyDisablesThemselvesButATokenNamedLikeThemMay() {
        User ana = user("ana", Role.ADMIN, false);
        List<User> users = List.of(ana, user("bo", Role.ADMIN, false));
        assertThat(Lockout.whyNotDisable(users, ana, "ana", true)).contains("you cannot disable yourself; another admin can");
        assertThat(Lockout.whyNotDisable(users, ana, "ana", false)).isEmpty();
        assertThat(Lockout.whyNotDisable(users, ana, "bo", true)).isEmpty();
    }

    @Test
    void theLastEnabledAdminStays() {
        User ana = user("ana", Role.ADMIN, false);
        User viewer = user("vi", Role.VIEWER, false);
        User disabledAdmin = user("old", Role.ADMIN, true);
        List<User> users = List.of(ana, viewer, disabledAdmin);
        assertThat(Lockout.whyNotDisable(users, ana, "ci-token", false))
                .contains("'ana' is the last enabled admin; create another admin first");
        assertThat(Lockout.whyNotDisable(users, viewer, "ana", true)).isEmpty();
        assertThat(Lockout.whyNotDisable(users, disabledAdmin, "ana", true)).as("already disabled").isEmpty();
    }
}
