package io.onloop.app.api;

import io.onloop.app.api.Dtos.TokenCreatedDto;
import io.onloop.app.api.Dtos.TokenDto;
import io.onloop.app.api.Dtos.TokenRequest;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.Role;
import io.onloop.domain.event.Ids;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** API tokens (admin): a role, an optional expiry, shown once at creation, revocable. */
@RestController
@RequestMapping("/api/v1/tokens")
@Tag(name = "admin")
class TokensController {
    private final AccessStore access;
    private final AuditLog audit;
    private final Clock clock;
    private final AccessActions actions;

    TokensController(AccessStore access, AuditLog audit, Clock clock, AccessActions actions) {
        this.access = access;
        this.audit = audit;
        this.clock = clock;
        this.actions = actions;
    }

    @GetMapping
    @Operation(summary = "List API tokens (the tokens themselves are never shown again)")
    List<TokenDto> list(@AuthenticationPrincipal OnloopPrincipal me) {
        return access.tokens(me.tenantId()).stream().map(TokenDto::of).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create an API token; the answer holds the token, once")
    TokenCreatedDto create(@AuthenticationPrincipal OnloopPrincipal me, @RequestBody TokenRequest body) {
        String name = Names.required("name", body.name());
        Role role = Roles.parse(body.role());
        Instant now = clock.instant();
        QueryParams.storable("expiresAt", body.expiresAt());
        if (body.expiresAt() != null && !body.expiresAt().isAfter(now)) {
            throw ApiException.badParameter("expiresAt", "must be in the future");
        }
        String token = Secrets.newToken(Secrets.API_TOKEN_PREFIX);
        var created = new ApiToken(Ids.newId(now), me.tenantId(), name, Secrets.sha256Hex(token), role, now,
                body.expiresAt(), false);
        audit.inOneTransaction(() -> {
            // one name, one working token: the audit log tells tokens apart by name; a revoked or expired one's name is free
            access.tokens(me.tenantId()).stream().filter(t -> t.usableAt(now) && t.name().equalsIgnoreCase(name))
                    .findFirst().ifPresent(t -> {
                        throw ApiException.conflict("a token is already called '" + t.name()
                                + "'; revoke it first to reuse its name");
                    });
            access.createToken(created);
            audit.record(me.tenantId(), me.name(), "token.create", "token", created.id().toString(),
                    "name=" + name + " role=" + role.id() + (body.expiresAt() == null ? "" : " expiresAt=" + body.expiresAt()));
            return created;
        });
        return new TokenCreatedDto(TokenDto.of(created), token);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Revoke an API token; it stops working at once")
    void revoke(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        actions.revokeToken(me, id).orElseThrow(() -> ApiException.notFound("token " + id));
    }
}
