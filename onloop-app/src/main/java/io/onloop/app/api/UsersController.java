package io.onloop.app.api;

import io.onloop.app.api.Dtos.UserDto;
import io.onloop.app.api.Dtos.UserRequest;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.Role;
import io.onloop.domain.access.User;
import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.store.EventRetention;
import io.onloop.domain.event.Ids;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/** Local users (admin). Passwords are stored as Argon2 hashes only. */
@RestController
@RequestMapping("/api/v1/users")
@Tag(name = "admin")
class UsersController {
    static final int MIN_PASSWORD = 12;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]{1,100}");
    /** Names onloop acts under itself: a user called so could pass for it in the audit log and timelines. */
    private static final Set<String> SYSTEM_ACTORS = Set.of(AuditEntry.ONLOOP_ACTOR, IncidentGrouping.SOURCE_ACTOR,
            Copilot.SCAN_ACTOR, EventRetention.ACTOR);

    private final AccessStore access;
    private final PasswordEncoder passwords;
    private final AuditLog audit;
    private final Clock clock;
    private final AccessActions actions;

    UsersController(AccessStore access, PasswordEncoder passwords, AuditLog audit, Clock clock, AccessActions actions) {
        this.access = access;
        this.passwords = passwords;
        this.audit = audit;
        this.clock = clock;
        this.actions = actions;
    }

    @GetMapping
    @Operation(summary = "List the tenant's users")
    List<UserDto> list(@AuthenticationPrincipal OnloopPrincipal me) {
        return access.users(me.tenantId()).stream().map(UserDto::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a user (password at least 12 characters)")
    UserDto create(@AuthenticationPrincipal OnloopPrincipal me, @RequestBody UserRequest body) {
        String username = body.username() == null ? "" : body.username().strip();
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badParameter("username", "1 to 100 of the characters A-Z a-z 0-9 . _ @ -");
        }
        String password = body.password();
        if (password == null || password.length() < MIN_PASSWORD || password.length() > Secrets.MAX_PASSWORD) {
            throw ApiException.badParameter("password", "from " + MIN_PASSWORD + " to " + Secrets.MAX_PASSWORD + " characters");
        }
        if (SYSTEM_ACTORS.contains(username.toLowerCase(Locale.ROOT))) {
            throw ApiException.badParameter("username", "'" + username + "' is what onloop signs its own audit and "
                    + "timeline entries with; choose another name");
        }
        Role role = Roles.parse(body.role());
        String hash = passwords.encode(password);
        Instant now = clock.instant();
        var user = new User(Ids.newId(now), me.tenantId(), username, hash, role, false, now);
        audit.inOneTransaction(() -> {
            var taken = access.findUserByNameIgnoringCase(username);
            if (taken.isPresent()) {
                // names are unique over all tenants, so that a name signs in without one; another tenant's spelling is its own
                boolean ours = taken.get().tenantId().equals(me.tenantId());
                throw ApiException.conflict("user name '" + username + "' is taken"
                        + (!ours || taken.get().username().equals(username) ? "" : " (as '" + taken.get().username() + "')"));
            }
            try {
                access.createUser(user);
            } catch (IllegalStateException e) { // taken by another server on the same database
                throw ApiException.conflict("user name '" + username + "' is taken");
            }
            audit.record(me.tenantId(), me.name(), "user.create", "user", user.id().toString(),
                    "username=" + username + " role=" + role.id());
            return user;
        });
        return UserDto.of(user);
    }

    /** Changes a user's state; for now that is {@code disabled} (a disabled user cannot sign in). */
    public record UserPatch(Boolean disabled) {
    }

    @PatchMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Disable or re-enable a user; a disabled user's next request is refused")
    void patch(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, @RequestBody UserPatch body) {
        if (body == null || body.disabled() == null) {
            throw ApiException.badParameter("disabled", "disabled: true or false is required");
        }
        var change = actions.setDisabled(me, id, body.disabled())
                .orElseThrow(() -> ApiException.notFound("user " + id));
        if (change.refused() != null) {
            throw ApiException.conflict(change.refused());
        }
    }
}
