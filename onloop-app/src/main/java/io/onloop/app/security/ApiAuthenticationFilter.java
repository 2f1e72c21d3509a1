package io.onloop.app.security;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.access.User;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Stateless API authentication: {@code Authorization: Bearer <API token>} (looked up by SHA-256)
 * or {@code Basic} for a local user (Argon2). No header: the request goes on anonymous and the
 * URL rules decide. A header that does not check out is answered 401 at once.
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {
    private final AccessStore access;
    private final PasswordEncoder passwords;
    private final Clock clock;
    private final ProblemResponses problems;
    /** Compared against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;

    ApiAuthenticationFilter(AccessStore access, PasswordEncoder passwords, Clock clock, ProblemResponses problems) {
        this.access = access;
        this.passwords = passwords;
        this.clock = clock;
        this.problems = problems;
        this.decoyHash = passwords.encode(Secrets.newPassword());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        Optional<OnloopPrincipal> principal;
        String scheme = header.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        String value = header.strip().substring(scheme.length()).strip();
        principal = switch (scheme) {
            case "bearer" -> token(value);
            case "basic" -> basic(value);
            default -> Optional.empty();
        };
        if (principal.isEmpty()) {
            SecurityContextHolder.clearContext();
            problems.commence(request, response, new BadCredentialsException(
                    "bearer".equals(scheme) ? "unknown, revoked or expired API token"
                            : "basic".equals(scheme) ? "wrong user name or password"
                            : "unsupported authorization scheme; use Bearer or Basic"));
            return;
        }
        var context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new OnloopAuthentication(principal.get()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private Optional<OnloopPrincipal> token(String token) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        return access.findTokenByHash(Secrets.sha256Hex(token))
                .filter(t -> t.usableAt(clock.instant()))
                .map(t -> new OnloopPrincipal(t.tenantId(), tokenActor(t), t.role(), OnloopPrincipal.Kind.TOKEN));
    }

    static String tokenActor(ApiToken t) {
        return "token:" + t.name();
    }

    private Optional<OnloopPrincipal> basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String username = decoded.substring(0, colon);
        String password = decoded.substring(colon + 1);
        Optional<User> user = access.findUserByName(username).filter(u -> !u.disabled());
        boolean matches = passwords.matches(password, user.map(User::passwordHash).orElse(decoyHash));
        return user.filter(u -> matches)
                .map(u -> new OnloopPrincipal(u.tenantId(), u.username(), u.role(), OnloopPrincipal.Kind.USER));
    }
}
