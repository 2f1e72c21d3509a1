package io.onloop.app.console;

import io.onloop.app.security.ConsoleSecurity;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.app.security.RefusedRole;
import io.onloop.domain.event.Severity;
import io.onloop.domain.store.EventStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.WebAttributes;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.DeliveryStore;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Sign-in, the overview, and the live stream every page listens to. */
@Controller
class OverviewController {
    static final int DELIVERY_CAP = 100;
    private static final int DEAD_SHOWN = 10;

    private final EventStore store;
    private final LiveUpdates live;
    private final ConsoleView view;
    private final JsonMapper json;
    private final Clock clock;

    private final DeliveryStore deliveries;

    OverviewController(EventStore store, LiveUpdates live, ConsoleView view, JsonMapper json, Clock clock,
                       DeliveryStore deliveries) {
        this.deliveries = deliveries;
        this.store = store;
        this.live = live;
        this.view = view;
        this.json = json;
        this.clock = clock;
    }

    @GetMapping({"/", "/console/"})
    String root() {
        return "redirect:/console";
    }

    @GetMapping(ConsoleSecurity.LOGIN)
    String login(@AuthenticationPrincipal OnloopPrincipal me) {
        return me != null ? "redirect:/console" : "console/login";
    }

    /** Where Spring Security forwards a refused console request (the status stays 403). */
    @RequestMapping(ConsoleSecurity.DENIED)
    ModelAndView denied(HttpServletRequest request) {
        var view = new ModelAndView("console/error", HttpStatus.FORBIDDEN);
        view.addObject("status", 403);
        view.addObject("reason", "Forbidden");
        view.addObject("message", request.getAttribute(WebAttributes.ACCESS_DENIED_403) instanceof AccessDeniedException e
                ? capitalized(RefusedRole.detail(e)) + "."
                : "Your role does not allow this, or the form had expired: reload the page and try again.");
        return view;
    }

    private static String capitalized(String s) {
        return s.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + s.substring(1);
    }

    @GetMapping("/console")
    String overview(@AuthenticationPrincipal OnloopPrincipal me, Model model) {
        fill(me, model);
        return "console/overview";
    }

    /** The overview's figures alone, re-fetched by htmx when the live stream says something changed. */
    @GetMapping("/console/overview/panel")
    String panel(@AuthenticationPrincipal OnloopPrincipal me, Model model) {
        fill(me, model);
        return "console/overview :: panel";
    }

    @GetMapping(path = "/console/live", produces = "text/event-stream")
    ResponseEntity<SseEmitter> live(@AuthenticationPrincipal OnloopPrincipal me, HttpSession session) {
        return live.subscribe(me.tenantId(), me.name(), session.getId()).map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build());
    }

    private void fill(OnloopPrincipal me, Model model) {
        var stats = OverviewStats.read(store, me.tenantId(), clock);
        model.addAttribute("stats", stats);
        model.addAttribute("severities", Arrays.asList(Severity.values()));
        // Chart data goes into a data- attribute as JSON (escaped by the template); the chart script reads it.
        List<String> labels = stats.hours().stream().map(h -> view.time(h).substring(11, 16)).toList();
        model.addAttribute("rateChart", json.writeValueAsString(Map.of("labels", labels, "values", stats.eventsPerHour())));
        // The store lists by status (no counts): read at most DELIVERY_CAP + 1 rows and say "more than" past that.
        var dead = deliveries.deliveries(me.tenantId(), DeliveryStatus.DEAD, DELIVERY_CAP + 1);
        var pending = deliveries.deliveries(me.tenantId(), DeliveryStatus.PENDING, DELIVERY_CAP + 1);
        model.addAttribute("deadCount", count(dead.size()));
        model.addAttribute("pendingCount", count(pending.size()));
        model.addAttribute("deadLetters", dead.stream().limit(DEAD_SHOWN).toList());
    }

    private static String count(int n) {
        return n > DELIVERY_CAP ? "more than " + DELIVERY_CAP : String.valueOf(n);
    }
}
