package io.onloop.app.security;

import io.onloop.domain.access.Role;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import java.util.Arrays;

/**
 * An authenticated caller. It is granted its own role and every role below it (Role.includes),
 * so URL rules can simply ask for the least role an endpoint needs.
 */
final class OnloopAuthentication extends AbstractAuthenticationToken {
    private final OnloopPrincipal principal;

    OnloopAuthentication(OnloopPrincipal principal) {
        super(Arrays.stream(Role.values()).filter(principal.role()::includes)
                .map(r -> new SimpleGrantedAuthority("ROLE_" + r.name())).toList());
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public OnloopPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public String getName() {
        return principal.name();
    }
}
