package io.onloop.app.api;

import io.onloop.app.console.LiveUpdates;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.Lockout;
import io.onloop.domain.access.User;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Switching access off and on: disabling a user, revoking a token, each committed with its audit entry; for the API
 * and the console alike. Doing it again changes nothing and is not audited again.
 */
@Component
public class AccessActions {
    private final AccessStore access;
    private final AuditLog audit;
    private final LiveUpdates live;

    AccessActions(AccessStore access, AuditLog audit, LiveUpdates live) {
        this.access = access;
        this.audit = audit;
        this.live = live;
    }

    /**
     * What became of a request to disable or enable a user.
     *
     * @param changed false when the user already was so, or the change was refused
     * @param refused why it was refused (the last enabled admin, oneself), or null
     */
    public record UserChange(User user, boolean changed, String refused) {
    }

    /** Empty when the tenant has no such user. The last admin is checked and disabled in one step. */
    public Optional<UserChange> setDisabled(OnloopPrincipal me, UUID id, boolean disabled) {
        Optional<UserChange> change = audit.inOneTransaction(() -> {
            List<User> users = access.users(me.tenantId());
            Optional<User> found = users.stream().filter(u -> u.id().equals(id)).findFirst();
            if (found.isEmpty()) {
                return Optional.empty();
            }
            User user = found.get();
            if (user.disabled() == disabled) { // a second click, another tab, a retried script
                return Optional.of(new UserChange(user, false, null));
            }
            if (disabled) {
                var refused = Lockout.whyNotDisable(users, user, me.name(), me.kind() == OnloopPrincipal.Kind.USER);
                if (refused.isPresent()) {
                    return Optional.of(new UserChange(user, false, refused.get()));
                }
            }
            access.setUserDisabled(me.tenantId(), id, disabled);
            audit.record(me.tenantId(), me.name(), disabled ? "user.disable" : "user.enable", "user", id.toString(),
                    "username=" + user.username());
            return Optional.of(new UserChange(user, true, null));
        });
        // after the commit: their open console streams end now, not at their next request (one that reconnected
        // before the commit would have been let in again)
        change.filter(c -> c.changed() && disabled).ifPresent(c -> live.userDisabled(me.tenantId(), c.user().username()));
        return change;
    }

    /** The token as it was; empty when the tenant has no such token. */
    public Optional<ApiToken> revokeToken(OnloopPrincipal me, UUID id) {
        return audit.inOneTransaction(() -> {
            Optional<ApiToken> token = access.tokens(me.tenantId()).stream().filter(t -> t.id().equals(id)).findFirst();
            token.filter(t -> !t.revoked()).ifPresent(t -> {
                access.revokeToken(me.tenantId(), id);
                audit.record(me.tenantId(), me.name(), "token.revoke", "token", id.toString(), "name=" + t.name());
            });
            return token;
        });
    }
}
