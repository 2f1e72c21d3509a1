package io.onloop.app.security;

import io.onloop.domain.store.StoreUnreachableException;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;

import java.io.IOException;
import java.util.Locale;

/**
 * An error no handler answered (Tomcat refusing TRACE, a filter's sendError, an exception escaping a filter) answered
 * like every other: problem+json on the API, a short page elsewhere, instead of Spring Boot's own error JSON. The
 * detail is onloop's own text, never an exception's message.
 */
@Controller
class ProblemErrorController implements ErrorController {

    @RequestMapping("/error")
    void error(HttpServletRequest request, HttpServletResponse response) throws IOException {
        // asked for directly, not as an error dispatch: there is no such page
        int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 404;
        String path = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri ? uri
                : request.getRequestURI();
        // from a filter (the console's sign-in, say): an outage, not a defect
        if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable t
                && StoreUnreachableException.in(t)) {
            BadRequests.databaseUnavailable(path, response);
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        // An error dispatch is a GET whatever the request's method was, so the method cannot be named here.
        String detail = status == 405 ? "this method is not allowed here"
                : status >= 500 ? "an unexpected error occurred; it has been logged"
                : title.toLowerCase(Locale.ROOT);
        BadRequests.write(path, response, status, title, detail);
    }
}
