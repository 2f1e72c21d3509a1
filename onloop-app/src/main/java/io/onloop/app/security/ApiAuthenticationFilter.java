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
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Stateless API authentication: {@code Authorization: Bearer <API token>} (looked up by SHA-256)
 * or {@code Basic} for a local user (Argon2). No header: the request goes on anonymous and the
 * URL rules decide. A header that does not check out is answered 401 at once; a user name with too
 * many recent wrong passwords 429, without its password being checked ({@link LoginThrottle}).
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {
    private final AccessStore access;
    private final PasswordEncoder passwords;
    private final Clock clock;
    private final ProblemResponses problems;
    private final LoginThrottle throttle;
    /** Compared against when the user does not exist, so a wrong name costs as long as a wrong password. */
    private final String decoyHash;

    ApiAuthenticationFilter(AccessStore access, PasswordEncoder passwords, Clock clock, ProblemResponses problems,
                            LoginThrottle throttle) {
        this.access = access;
        this.passwords = passwords;
        this.clock = clock;
        this.problems = problems;
        this.throttle = throttle;
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
        String scheme = header.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        String value = header.strip().substring(scheme.length()).strip();
        Optional<BasicCredentials> credentials = "basic".equals(scheme) ? BasicCredentials.decode(value) : Optional.empty();
        Optional<Duration> locked = credentials.flatMap(c -> throttle.attempt(c.username()));
        if (locked.isPresent()) {
            SecurityContextHolder.clearContext();
            long seconds = Math.max(1, (locked.get().toMillis() + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
            problems.write(response, 429, "Too Many Requests", "too many failed sign-ins for this user name; "
                    + "try again in " + seconds + " s", request.getRequestURI());
            return;
        }
        Optional<OnloopPrincipal> principal = switch (scheme) {
            case "bearer" -> token(value);
            case "basic" -> credentials.flatMap(this::basic);
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

    private record BasicCredentials(String username, String password) {
        /** The user name and password of a Basic header's value, if it is well formed. */
        static Optional<BasicCredentials> decode(String encoded) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        }
    }

    private Optional<OnloopPrincipal> basic(BasicCredentials credentials) {
        Optional<User> user = access.findUserByName(credentials.username()).filter(u -> !u.disabled());
        boolean matches = passwords.matches(credentials.password(), user.map(User::passwordHash).orElse(decoyHash));
        if (user.isEmpty() || !matches) {
            return Optional.empty(); // counted already, by the attempt
        }
        throttle.succeeded(credentials.username());
        return user.map(u -> new OnloopPrincipal(u.tenantId(), u.username(), u.role(), OnloopPrincipal.Kind.USER));
    }
}
