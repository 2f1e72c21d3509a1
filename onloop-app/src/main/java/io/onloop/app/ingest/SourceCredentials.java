package io.onloop.app.ingest;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpHeaders;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds an ingest source's token in a request, wherever its sender can put it:
 * {@code Authorization: Bearer}, HTTP Basic (the token is the password, any user name),
 * the {@code X-Onloop-Token} header, or the {@code token} query parameter.
 * The query string is parsed here rather than with getParameter(), which would read a form body.
 */
final class SourceCredentials {
    static final String HEADER = "X-Onloop-Token";
    static final String QUERY_PARAMETER = "token";

    private SourceCredentials() {
    }

    static Optional<String> token(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            // scheme, white space, value; by hand because String.split compiles a regex on every request
            String a = authorization.strip();
            int space = 0;
            while (space < a.length() && !Character.isWhitespace(a.charAt(space))) {
                space++;
            }
            String value = a.substring(space).strip();
            Optional<String> token = switch (a.substring(0, space).toLowerCase(Locale.ROOT)) {
                case "bearer" -> nonEmpty(value);
                case "basic" -> basicPassword(value);
                default -> Optional.empty(); // another scheme (a proxy's, say) hides no token given the other ways
            };
            if (token.isPresent()) {
                return token;
            }
        }
        String header = request.getHeader(HEADER);
        if (header != null) {
            return nonEmpty(header.strip());
        }
        return queryParameter(request.getQueryString());
    }

    private static Optional<String> basicPassword(String encoded) {
        try {
            String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty() : nonEmpty(decoded.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> queryParameter(String query) {
        if (query == null) {
            return Optional.empty();
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(QUERY_PARAMETER)) {
                try {
                    return nonEmpty(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
