package io.onloop.app.security;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.ApiToken;
import io.onloop.domain.store.StoreUnreachableException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.context.SecurityContextHolder;
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
 * URL rules decide. A header that does not check out is answered 401 at once; a user name with too
 * many recent wrong passwords 429, without its password being checked ({@link LoginThrottle}).
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {
    private final AccessStore access;
    private final PasswordSignIn signIn;
    private final Clock clock;
    private final ProblemResponses problems;

    ApiAuthenticationFilter(AccessStore access, PasswordSignIn signIn, Clock clock, ProblemResponses problems) {
        this.access = access;
        this.signIn = signIn;
        this.clock = clock;
        this.problems = problems;
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
        PasswordSignIn.Outcome basic;
        Optional<OnloopPrincipal> bearer;
        try {
            basic = "basic".equals(scheme) ? basic(value) : new PasswordSignIn.Wrong();
            bearer = "bearer".equals(scheme) ? token(value) : Optional.empty();
        } catch (StoreUnreachableException e) { // problem+json on every path of this chain, /actuator too
            refuseUnchecked(request, response, 503, "Database unavailable", 5,
                    "onloop cannot reach its database to check the credentials; try again shortly");
            return;
        }
        if (basic instanceof PasswordSignIn.Locked locked) {
            long seconds = Math.max(1, (locked.retryAfter().toMillis() + 999) / 1000);
            refuseUnchecked(request, response, 429, "Too Many Requests", seconds,
                    "too many failed sign-ins for this user name; try again in " + seconds + " s");
            return;
        }
        if (basic instanceof PasswordSignIn.Busy) {
            refuseUnchecked(request, response, 503, "Service Unavailable", 1, "too many sign-ins are being checked "
                    + "at once; try again, or use an API token (Bearer), which is never queued");
            return;
        }
        Optional<OnloopPrincipal> principal = basic instanceof PasswordSignIn.SignedIn s ? Optional.of(s.principal()) : bearer;
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
        // Not cleared here: the chain's SecurityContextHolderFilter does, after the request, so the filter that answers
        // a refusal (which runs outside this one) still knows the caller.
        chain.doFilter(request, response);
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

    /** A Basic sign-in answered without its password being checked: come back in {@code seconds}. */
    private void refuseUnchecked(HttpServletRequest request, HttpServletResponse response, int status, String title,
                                 long seconds, String detail) throws IOException {
        SecurityContextHolder.clearContext();
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        problems.write(response, status, title, detail, request.getRequestURI());
    }

    /** A Basic header's value, {@code base64(name:password)}; a malformed one is a wrong password. */
    private PasswordSignIn.Outcome basic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new PasswordSignIn.Wrong();
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new PasswordSignIn.Wrong()
                : signIn.check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}
