package io.onloop.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Refuses parameters Tomcat cannot decode (a {@code %} without two hex digits after it, or escapes that are not
 * UTF-8), in the query string or a form body, with a 400 before anything else reads them. Otherwise the first
 * {@code getParameter} anywhere (Spring Security's CSRF check, a controller, a template) throws: on the API that
 * was a 500 with a stack trace in the log, which anyone could fill that way; on the console, Boot's white-label page.
 * Tomcat parses all parameters at the first read, so reading them here costs nothing later.
 */
final class MalformedParametersFilter extends OncePerRequestFilter {
    private static final String DETAIL = "the %s is not valid: every %% must start an escape of two hex digits, "
            + "and the escapes must be UTF-8";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String type = request.getContentType();
        if (type != null && type.startsWith("multipart/")) {
            // Nothing here takes multipart; reading it would spool it to disk before authentication.
            chain.doFilter(request, response);
            return;
        }
        try {
            request.getParameterMap();
        } catch (InvalidParameterException e) {
            // Tomcat's message quotes the parameter, which may be a credential: neither logged nor echoed.
            if (e.getErrorCode() == 413) {
                BadRequests.write(request, response, 413, "Content Too Large", "the form body is larger than accepted");
            } else {
                boolean form = type != null && type.startsWith("application/x-www-form-urlencoded");
                BadRequests.write(request, response, 400, "Bad Request",
                        DETAIL.formatted(form ? "query string or form body" : "query string"));
            }
            return;
        }
        chain.doFilter(request, response);
    }
}
