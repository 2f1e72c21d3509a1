package io.onloop.app.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.util.HtmlUtils;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;

/**
 * A 400 for a request refused before any controller runs (a query string that cannot be decoded, a path the
 * firewall or Tomcat rejects): problem+json on the API and ingest, like every other API error; a short HTML page
 * elsewhere, for a browser. The detail is always onloop's own text, never the request's.
 */
final class BadRequests {
    /** Static, not a bean: Tomcat creates ProblemErrorReportValve by its class name, outside Spring. */
    static final ProblemResponses PROBLEMS = new ProblemResponses(JsonMapper.builder().build());

    private BadRequests() {
    }

    static void write(HttpServletRequest request, HttpServletResponse response, int status, String title,
                      String detail) throws IOException {
        write(request.getRequestURI(), response, status, title, detail);
    }

    /** 503 with Retry-After for a request refused because the database cannot be reached: an outage, not a defect. */
    static void databaseUnavailable(String path, HttpServletResponse response) throws IOException {
        response.setHeader(HttpHeaders.RETRY_AFTER, "5");
        write(path, response, 503, "Database unavailable", "onloop cannot reach its database right now; try again shortly");
    }

    /**
     * {@code path}: the request's, which an error dispatch has in an attribute; null when the request line could not
     * be read, answered as the API would (its clients send the long URLs).
     */
    static void write(String path, HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        if (path == null || path.startsWith("/api/")) {
            PROBLEMS.write(response, status, title, detail, path);
        } else {
            response.setStatus(status);
            response.setCharacterEncoding("UTF-8");
            response.setContentType(MediaType.TEXT_HTML_VALUE);
            response.getWriter().write("<!DOCTYPE html><title>" + status + " " + HtmlUtils.htmlEscape(title)
                    + "</title><h1>" + status + " " + HtmlUtils.htmlEscape(title) + "</h1><p>"
                    + HtmlUtils.htmlEscape(detail) + ".</p>");
        }
    }
}
