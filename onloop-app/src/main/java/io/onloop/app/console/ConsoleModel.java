package io.onloop.app.console;

import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.Role;
import io.onloop.domain.store.StoreUnreachableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.ServletRequestBindingException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every console page needs (who is signed in, what they may do) and the console's own error
 * pages: a console request that fails gets an HTML page, not the API's problem+json.
 */
@ControllerAdvice(basePackageClasses = ConsoleModel.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleModel {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleModel.class);

    @ModelAttribute("me")
    OnloopPrincipal me(@AuthenticationPrincipal OnloopPrincipal me) {
        return me;
    }

    @ModelAttribute("canRespond")
    boolean canRespond(@AuthenticationPrincipal OnloopPrincipal me) {
        return me != null && me.role().includes(Role.RESPONDER);
    }

    @ModelAttribute("isAdmin")
    boolean isAdmin(@AuthenticationPrincipal OnloopPrincipal me) {
        return me != null && me.role().includes(Role.ADMIN);
    }

    @ExceptionHandler(ConsoleException.class)
    ModelAndView refused(ConsoleException e) {
        return error(e.status(), e.getMessage());
    }

    /** A malformed id in the path or a bad parameter type: the operator's mistake, not ours. */
    @ExceptionHandler({MethodArgumentTypeMismatchException.class, ServletRequestBindingException.class})
    ModelAndView badRequest(Exception e) {
        return error(HttpStatus.BAD_REQUEST, "That address is not valid here.");
    }

    /** An outage, not a defect: said as one, without a stack in the log. */
    @ExceptionHandler(StoreUnreachableException.class)
    ModelAndView storeUnreachable(StoreUnreachableException e, HttpServletRequest request,
                                  HttpServletResponse response) {
        LOG.warn("database unreachable on console {} {}: {}", request.getMethod(), request.getRequestURI(),
                e.getMessage());
        response.setHeader(HttpHeaders.RETRY_AFTER, "5");
        return error(HttpStatus.SERVICE_UNAVAILABLE, "onloop cannot reach its database right now; try again shortly.");
    }

    /** A browser that went away from its live stream (closed the tab, lost the network): nothing to answer, or log. */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    void gone(AsyncRequestNotUsableException e, HttpServletRequest request) {
        LOG.debug("console stream {} ended by its browser: {}", request.getRequestURI(), e.getMessage());
    }

    @ExceptionHandler(Exception.class)
    ModelAndView bug(Exception e, HttpServletRequest request) {
        // Logged without the query string: it may hold search text from alerts.
        LOG.error("unexpected error on console {} {}", request.getMethod(), request.getRequestURI(), e);
        return error(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side; it has been logged.");
    }

    static ModelAndView error(HttpStatus status, String message) {
        var view = new ModelAndView("console/error");
        view.setStatus(status);
        view.addObject("status", status.value());
        view.addObject("reason", status.getReasonPhrase());
        view.addObject("message", message);
        return view;
    }
}
