package io.onloop.app.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A console address nothing answers ({@code /console/nonexistent}) gets the console's own 404 page. No console controller
 * handled it, so {@link ConsoleModel}'s handlers never see it and the API's problem+json advice would answer; this runs
 * before both, for console paths only, so the API keeps problem+json.
 */
@Component
class ConsoleNotFound implements HandlerExceptionResolver, Ordered {

    @Override
    public ModelAndView resolveException(HttpServletRequest request, HttpServletResponse response, Object handler,
                                         Exception e) {
        if (e instanceof NoResourceFoundException
                && request.getRequestURI().startsWith(request.getContextPath() + "/console/")) {
            return ConsoleModel.error(HttpStatus.NOT_FOUND, "There is no such page in the console.");
        }
        return null;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
