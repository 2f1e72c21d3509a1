package io.onloop.app.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Security's own 401 and 403 answers, as problem+json like every other error. They are written
 * before any controller runs, so they cannot go through the MVC exception handler.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {
    static final String CHALLENGE_BEARER = "Bearer realm=\"onloop\"";

    private final JsonMapper json;

    ProblemResponses(JsonMapper json) {
        this.json = json;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException e) throws IOException {
        // Bearer only: a Basic challenge makes browsers prompt for and then replay the credentials on
        // every request, cross-site forms included (CSRF protection is off because nothing is ambient).
        response.addHeader("WWW-Authenticate", CHALLENGE_BEARER);
        String detail = e instanceof InsufficientAuthenticationException
                ? "authentication required: send an API token (Authorization: Bearer) or a user's HTTP Basic credentials"
                : e.getMessage();
        write(response, 401, "Unauthorized", detail, request.getRequestURI());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
                       AccessDeniedException e) throws IOException {
        write(response, 403, "Forbidden", RefusedRole.detail(e), request.getRequestURI());
    }

    void write(HttpServletResponse response, int status, String title, String detail, String instance)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), body);
    }
}
