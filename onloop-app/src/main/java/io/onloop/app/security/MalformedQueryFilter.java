package io.onloop.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Refuses a query string Tomcat cannot decode (a {@code %} without two hex digits after it, or escapes that are not
 * UTF-8) with a 400 before anything reads a parameter. Otherwise the first {@code getParameter} anywhere (Spring
 * Security, a controller, a template) throws, and the request ended as a 500 with a stack trace in the log, which
 * anyone could fill that way.
 */
final class MalformedQueryFilter extends OncePerRequestFilter {
    private static final String DETAIL = "the query string is not valid: every % must start an escape of two hex "
            + "digits, and the escapes must be UTF-8";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query == null || decodable(query)) {
            chain.doFilter(request, response);
        } else {
            BadRequests.write(request, response, 400, "Bad Request", DETAIL);
        }
    }

    /**
     * Whether the query decodes as Tomcat decodes it: every escape well formed, and every run of escapes strict UTF-8.
     * Runs can be checked alone: a character that is not an escape never continues a UTF-8 sequence.
     */
    static boolean decodable(String query) {
        ByteArrayOutputStream run = new ByteArrayOutputStream();
        for (int i = 0; i <= query.length(); i++) {
            if (i < query.length() && query.charAt(i) == '%') {
                int high = i + 2 < query.length() ? hex(query.charAt(i + 1)) : -1;
                int low = high >= 0 ? hex(query.charAt(i + 2)) : -1;
                if (low < 0) {
                    return false;
                }
                run.write(high * 16 + low);
                i += 2;
            } else if (run.size() > 0) {
                try {
                    StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(run.toByteArray()));
                } catch (CharacterCodingException e) {
                    return false;
                }
                run.reset();
            }
        }
        return true;
    }

    /** An ASCII hex digit's value, or -1 (Character.digit would also take other scripts' digits). */
    private static int hex(char c) {
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
