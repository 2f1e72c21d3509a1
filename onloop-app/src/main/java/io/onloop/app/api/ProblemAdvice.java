package io.onloop.app.api;

import io.onloop.app.security.RefusedRole;
import io.onloop.domain.store.StoreUnreachableException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;


/**
 * Every error leaves as problem+json (RFC 9457). Spring MVC's own exceptions (bad JSON, wrong
 * method, unsupported media type, unknown path, type mismatches) get their standard status from
 * the base class; onloop's refusals carry their own; a database that cannot be reached is 503 with Retry-After;
 * anything else is a bug and the only 500.
 * Spring fills in {@code instance} with the request path.
 */
@RestControllerAdvice
public class ProblemAdvice extends ResponseEntityExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> refused(ApiException e, HttpServletRequest request) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(e.status(), e.getMessage());
        problem.setTitle(e.title());
        e.properties().forEach(problem::setProperty);
        return ResponseEntity.status(e.status()).headers(e.headers()).body(problem);
    }

    /** Says what and where, instead of the base class's "Failed to read request". */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e, HttpHeaders headers,
                                                                  HttpStatusCode status, WebRequest request) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ApiBodyLimit.TooLarge tooLarge) {
                ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
                problem.setTitle("Payload too large");
                return handleExceptionInternal(e, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
            }
        }
        UnreadableBody body = UnreadableBody.of(e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, body.detail());
        problem.setTitle("Invalid request body");
        problem.setProperty("pointer", body.pointer());
        if (body.line() != null) {
            problem.setProperty("line", body.line());
            problem.setProperty("column", body.column());
        }
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /** A body a controller reads itself (the price) that is over the limit. */
    @ExceptionHandler(ApiBodyLimit.TooLarge.class)
    ResponseEntity<ProblemDetail> tooLarge(ApiBodyLimit.TooLarge e, HttpServletRequest request) {
        return refused(new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", e.getMessage()), request);
    }

    @ExceptionHandler(AuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AuthenticationException e, HttpServletRequest request) {
        return refused(new ApiException(HttpStatus.UNAUTHORIZED, "Unauthorized", e.getMessage()), request);
    }

    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> denied(AccessDeniedException e, HttpServletRequest request) {
        return refused(new ApiException(HttpStatus.FORBIDDEN, "Forbidden", RefusedRole.detail(e)), request);
    }

    /** Not a defect but an outage: said as one, so that clients try again, and logged without a stack. */
    @ExceptionHandler(StoreUnreachableException.class)
    ResponseEntity<ProblemDetail> storeUnreachable(StoreUnreachableException e, HttpServletRequest request) {
        LOG.warn("database unreachable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.getMessage());
        return refused(new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
                "onloop cannot reach its database right now; try again shortly").header(HttpHeaders.RETRY_AFTER, "5"),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> bug(Exception e, HttpServletRequest request) {
        // Logged without the query string or headers: they may carry credentials.
        LOG.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return refused(new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "an unexpected error occurred; it has been logged"), request);
    }
}
