package io.onloop.app.console;

import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentActions;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeEnrichment;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The incidents list and one incident: its facts, its timeline, its latest events, and the
 * responder's actions. Actions are plain form posts (with the CSRF token) that redirect back, so
 * they work from the keyboard and without script.
 */
@Controller
class IncidentPages {
    static final int MAX_TEXT = 10_000;
    private static final int LATEST_EVENTS = 50;
    /** Labels shown unfolded; more are folded away, so that the timeline and events are not pages down. */
    static final int LABELS_OPEN = 20;

    private final EventStore store;
    private final IncidentActions actions;
    private final LiveUpdates live;
    private final RecipeStore recipes;
    private final RecipeEnrichment enrichment;
    private final int scanLimit;

    IncidentPages(EventStore store, IncidentActions actions, LiveUpdates live, RecipeStore recipes,
                  RecipeEnrichment enrichment, OnloopProperties props) {
        this.store = store;
        this.scanLimit = props.search().maxScanned();
        this.actions = actions;
        this.live = live;
        this.recipes = recipes;
        this.enrichment = enrichment;
    }

    @GetMapping("/console/incidents")
    String list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam MultiValueMap<String, String> params,
                Model model) {
        fillList(me, params, model);
        return "console/incidents";
    }

    @GetMapping("/console/incidents/rows")
    String rows(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam MultiValueMap<String, String> params,
                Model model) {
        fillList(me, params, model);
        return "console/incidents :: results";
    }

    private void fillList(OnloopPrincipal me, MultiValueMap<String, String> params, Model model) {
        Filters filters = Filters.of(params);
        var query = filters.incidents(me.tenantId(), scanLimit);
        Pages.list(model, filters, "/console/incidents", Arrays.asList(IncidentStatus.values()),
                () -> store.findIncidents(query));
    }

    @GetMapping("/console/incidents/{id}")
    String detail(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, Model model) {
        fillDetail(me, id, model);
        return "console/incident";
    }

    /** A part of the page that changes (summary: headline and facts; history: timeline and events), re-fetched live. */
    @GetMapping("/console/incidents/{id}/live")
    String detailPart(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                      @RequestParam(defaultValue = "summary") String part, Model model) {
        fillDetail(me, id, model);
        return "history".equals(part) ? "console/incident :: history" : "console/incident :: summary";
    }

    private void fillDetail(OnloopPrincipal me, UUID id, Model model) {
        Incident incident = store.findIncident(me.tenantId(), id).orElseThrow(() -> ConsoleException.notFound("Incident " + id));
        model.addAttribute("incident", incident);
        model.addAttribute("labels", new TreeMap<>(incident.labels()));
        model.addAttribute("labelsOpen", incident.labels().size() <= LABELS_OPEN);
        model.addAttribute("timeline", store.timeline(me.tenantId(), id));
        var events = store.findEvents(new EventQuery(me.tenantId(), null, null, null, null, null, null, null, null, id,
                LATEST_EVENTS, null));
        model.addAttribute("events", events.items());
        model.addAttribute("moreEvents", events.nextCursor() != null);
        model.addAttribute("recipe", recipe(me.tenantId(), id, events.items()));
    }

    /**
     * The stored recipe, as GET /api/v1/incidents/{id}/recipe gives it; made now from the latest event
     * when enrichment has not run yet (its queue was full, or the incident is brand new).
     */
    private Recipe recipe(String tenantId, UUID id, List<io.onloop.domain.event.Event> latestFirst) {
        return recipes.incidentRecipe(tenantId, id).map(RecipeStore.IncidentRecipe::recipe)
                .orElseGet(() -> latestFirst.isEmpty() ? null : enrichment.enrich(latestFirst.getFirst()));
    }

    @PostMapping("/console/incidents/{id}/acknowledge")
    String acknowledge(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, RedirectAttributes flash) {
        return act(me, id, flash, "Acknowledged.", () -> actions.acknowledge(me.tenantId(), id, me.name()));
    }

    @PostMapping("/console/incidents/{id}/resolve")
    String resolve(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                   @RequestParam(required = false) String note, RedirectAttributes flash) {
        String text = note == null || note.isBlank() ? null : note.strip();
        if (text != null && text.length() > MAX_TEXT) {
            return refuse(id, flash, "The note is longer than " + MAX_TEXT + " characters.");
        }
        return act(me, id, flash, "Resolved.", () -> actions.resolve(me.tenantId(), id, me.name(), text));
    }

    @PostMapping("/console/incidents/{id}/comments")
    String comment(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                   @RequestParam(required = false) String text, RedirectAttributes flash) {
        if (text == null || text.isBlank()) {
            return refuse(id, flash, "Write a comment first.");
        }
        if (text.length() > MAX_TEXT) {
            return refuse(id, flash, "The comment is longer than " + MAX_TEXT + " characters.");
        }
        actions.comment(me.tenantId(), id, me.name(), text.strip())
                .orElseThrow(() -> ConsoleException.notFound("Incident " + id));
        live.incidentChanged(me.tenantId(), id);
        flash.addFlashAttribute("notice", "Comment added.");
        return redirect(id);
    }

    /** A state that does not allow the action (already acknowledged, resolved) is told, not failed. */
    private String act(OnloopPrincipal me, UUID id, RedirectAttributes flash, String done,
                       Supplier<Optional<Incident>> action) {
        try {
            action.get().orElseThrow(() -> ConsoleException.notFound("Incident " + id));
        } catch (IllegalStateException e) {
            return refuse(id, flash, e.getMessage());
        }
        live.incidentChanged(me.tenantId(), id);
        flash.addFlashAttribute("notice", done);
        return redirect(id);
    }

    private static String refuse(UUID id, RedirectAttributes flash, String why) {
        flash.addFlashAttribute("problem", why);
        return redirect(id);
    }

    private static String redirect(UUID id) {
        return "redirect:/console/incidents/" + id;
    }
}
