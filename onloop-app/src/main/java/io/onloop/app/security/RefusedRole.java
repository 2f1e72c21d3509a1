package io.onloop.app.security;

import io.onloop.domain.access.Role;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfException;

import java.util.Arrays;
import java.util.Optional;

/**
 * Says why a request was refused for its role: which role the caller has and which one the request needs, read
 * from the decision Spring Security made, so a person knows whom to ask instead of guessing.
 */
public final class RefusedRole {
    private RefusedRole() {
    }

    /** For example "your role, viewer, does not allow this: it needs responder or a role above it". */
    public static String detail(AccessDeniedException e) {
        if (e instanceof CsrfException) {
            return "the form had expired: reload the page and try again";
        }
        var caller = SecurityContextHolder.getContext().getAuthentication();
        String role = caller != null && caller.getPrincipal() instanceof OnloopPrincipal p
                ? "your role, " + p.role().id() + "," : "your role";
        return needed(e).map(r -> role + " does not allow this: it needs " + r.id()
                        + (r == Role.ADMIN ? "" : " or a role above it"))
                .orElse(role + " does not allow this");
    }

    /** The lowest role the refused rule names ({@code hasRole("RESPONDER")} decides with ROLE_RESPONDER). */
    static Optional<Role> needed(AccessDeniedException e) {
        if (!(e instanceof AuthorizationDeniedException denied)
                || !(denied.getAuthorizationResult() instanceof AuthorityAuthorizationDecision decision)) {
            return Optional.empty();
        }
        return decision.getAuthorities().stream()
                .map(a -> a.getAuthority() == null ? "" : a.getAuthority())
                .filter(a -> a.startsWith("ROLE_"))
                .flatMap(a -> Arrays.stream(Role.values()).filter(r -> r.name().equals(a.substring(5))))
                .min(Enum::compareTo);
    }
}
