package io.onloop.app.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A 400 for a request refused before any controller runs (a query string that cannot be decoded, a path the
 * firewall or Tomcat rejects): problem+json on the API and ingest, like every other API error; a short HTML page
 * elsewhere, for a browser. The detail is always onloop's own text, never the request's.
 */
final class BadRequests {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private BadRequests() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
                      String detail) throws IOException {
        response.setStatus(status);
        response.setCharacterEncoding("UTF-8");
        if (request.getRequestURI() != null && request.getRequestURI().startsWith("/api/")) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", "about:blank");
            body.put("title", title);
            body.put("status", status);
            body.put("detail", detail);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(JSON.writeValueAsBytes(body));
        } else {
            response.setContentType(MediaType.TEXT_HTML_VALUE);
            response.getWriter().write("<!DOCTYPE html><title>" + status + " " + HtmlUtils.htmlEscape(title)
                    + "</title><h1>" + status + " " + HtmlUtils.htmlEscape(title) + "</h1><p>"
                    + HtmlUtils.htmlEscape(detail) + ".</p>");
        }
    }
}
