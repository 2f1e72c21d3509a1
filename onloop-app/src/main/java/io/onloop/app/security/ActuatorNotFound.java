package io.onloop.app.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.io.PrintWriter;

/**
 * Spring Boot answers an actuator endpoint or health component that does not exist (or is not shown) with a bare 404
 * and no body; this says it as problem+json, like every other API error.
 */
final class ActuatorNotFound extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var watched = new HttpServletResponseWrapper(response) {
            boolean written;

            @Override
            public ServletOutputStream getOutputStream() throws IOException {
                written = true;
                return super.getOutputStream();
            }

            @Override
            public PrintWriter getWriter() throws IOException {
                written = true;
                return super.getWriter();
            }
        };
        chain.doFilter(request, watched);
        if (response.getStatus() == 404 && !watched.written && !response.isCommitted()) {
            BadRequests.PROBLEMS.write(response, 404, "Not Found", "no such actuator endpoint, or a health component "
                    + "(components are not shown)", request.getRequestURI());
        }
    }
}
