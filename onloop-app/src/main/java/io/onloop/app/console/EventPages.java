package io.onloop.app.console;

import io.onloop.app.config.OnloopProperties;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.store.EventStore;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.json.JsonMapper;

import java.util.Arrays;
import java.util.TreeMap;
import java.util.UUID;

/** The events explorer (filters, text search, paging) and one event with its redacted raw payload. */
@Controller
class EventPages {
    private final EventStore store;
    private final JsonMapper json;
    private final int scanLimit;

    EventPages(EventStore store, JsonMapper json, OnloopProperties props) {
        this.store = store;
        this.json = json;
        this.scanLimit = props.search().maxScanned();
    }

    @GetMapping("/console/events")
    String list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam MultiValueMap<String, String> params,
                Model model) {
        fill(me, params, model);
        return "console/events";
    }

    @GetMapping("/console/events/rows")
    String rows(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam MultiValueMap<String, String> params,
                Model model) {
        fill(me, params, model);
        return "console/events :: results";
    }

    private void fill(OnloopPrincipal me, MultiValueMap<String, String> params, Model model) {
        Filters filters = Filters.of(params);
        var query = filters.events(me.tenantId(), scanLimit);
        Pages.list(model, filters, "/console/events", Arrays.asList(EventStatus.values()), () -> store.findEvents(query));
    }

    @GetMapping("/console/events/{id}")
    String detail(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, Model model) {
        Event event = store.findEvent(me.tenantId(), id).orElseThrow(() -> ConsoleException.notFound("Event " + id));
        model.addAttribute("event", event);
        model.addAttribute("labels", new TreeMap<>(event.labels()));
        model.addAttribute("chart", EvidenceChart.of(event, json).orElse(null));
        return "console/event";
    }
}
