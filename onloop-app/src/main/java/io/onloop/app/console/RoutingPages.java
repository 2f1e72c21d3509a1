package io.onloop.app.console;

import io.onloop.app.api.ApiException;
import io.onloop.app.ingest.IngestFormats;
import io.onloop.app.routing.RouteActions;
import io.onloop.app.routing.RoutingDtos.ProblemDto;
import io.onloop.app.routing.RoutingDtos.SilenceRequest;
import io.onloop.app.routing.RoutingService;
import io.onloop.app.routing.SilenceActions;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.Role;
import io.onloop.domain.routing.Silence;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Routes and silences: the tenant's route file (admins only: it holds target credentials) with
 * validation and saving, a dry run of an alert, and silences. The checks are the API's
 * ({@link RouteActions}, {@link SilenceActions}); their refusals are shown on the page.
 */
@Controller
class RoutingPages {
    private static final int MAX_DRY_RUN = 1_000_000;
    private static final int EXPIRED_SHOWN = 20;

    private final RoutingService routing;
    private final RouteActions routes;
    private final SilenceActions silences;
    private final IngestFormats formats;
    private final Clock clock;

    RoutingPages(RoutingService routing, RouteActions routes, SilenceActions silences, IngestFormats formats, Clock clock) {
        this.routing = routing;
        this.routes = routes;
        this.silences = silences;
        this.formats = formats;
        this.clock = clock;
    }

    @GetMapping("/console/routing")
    String page(@AuthenticationPrincipal OnloopPrincipal me, Model model) {
        fill(me, model);
        return "console/routing";
    }

    /** Validates (or, with save, saves) the file; the text stays in the form either way. */
    @PostMapping({"/console/routes", "/console/routes/validate"})
    String routeFile(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String yaml,
                     @RequestParam(required = false) String save, Model model, RedirectAttributes flash) {
        try {
            if (save != null) {
                var summary = routes.save(me.tenantId(), me.name(), yaml);
                flash.addFlashAttribute("notice", "Saved: " + summary.routes() + " routes, receivers " + summary.receivers() + ".");
                return "redirect:/console/routing";
            }
            var summary = routes.validate(yaml);
            model.addAttribute("notice", "Valid: " + summary.routes() + " routes, receivers " + summary.receivers() + ". Not saved.");
        } catch (ApiException e) {
            model.addAttribute("routeProblem", e.getMessage());
            model.addAttribute("routeErrors", e.properties().getOrDefault("errors", List.<ProblemDto>of()));
        }
        fill(me, model);
        model.addAttribute("routeYaml", yaml == null ? "" : yaml);
        return "console/routing";
    }

    @PostMapping("/console/routing/dry-run")
    String dryRun(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(defaultValue = "generic") String format,
                  @RequestParam(required = false) String alert, Model model) {
        try {
            if (alert != null && alert.length() > MAX_DRY_RUN) {
                throw ApiException.badParameter("alert", "at most " + MAX_DRY_RUN + " characters");
            }
            model.addAttribute("dryRun", routes.dryRun(me.tenantId(), format,
                    alert == null ? null : alert.getBytes(StandardCharsets.UTF_8)));
        } catch (ApiException e) {
            model.addAttribute("dryRunProblem", e.getMessage());
        }
        fill(me, model);
        model.addAttribute("dryRunFormat", format);
        model.addAttribute("dryRunAlert", alert == null ? "" : alert);
        return "console/routing";
    }

    /**
     * Times are UTC, as {@code datetime-local} inputs give them ({@code 2026-03-02T10:00}); an empty
     * start is now.
     */
    @PostMapping("/console/silences")
    String createSilence(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String matchers,
                         @RequestParam(required = false) String startsAt, @RequestParam(required = false) String endsAt,
                         @RequestParam(required = false) String comment, RedirectAttributes flash) {
        try {
            List<String> lines = matchers == null ? List.of()
                    : Arrays.stream(matchers.split("\\R")).map(String::strip).filter(l -> !l.isEmpty()).toList();
            Silence s = silences.create(me.tenantId(), me.name(),
                    new SilenceRequest(lines, time("startsAt", startsAt), time("endsAt", endsAt), comment));
            flash.addFlashAttribute("notice", "Silence created until " + s.endsAt() + ".");
        } catch (ApiException e) {
            flash.addFlashAttribute("problem", "Silence not created: " + e.getMessage());
            flash.addFlashAttribute("silenceForm", new SilenceForm(matchers, startsAt, endsAt, comment));
        }
        return "redirect:/console/routing#silences";
    }

    @PostMapping("/console/silences/{id}/expire")
    String expireSilence(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, RedirectAttributes flash) {
        try {
            silences.expire(me.tenantId(), me.name(), id);
            flash.addFlashAttribute("notice", "Silence expired.");
        } catch (ApiException e) {
            flash.addFlashAttribute("problem", e.getMessage());
        }
        return "redirect:/console/routing#silences";
    }

    /** What the silence form holds: kept after a refusal so nothing typed is lost. */
    record SilenceForm(String matchers, String startsAt, String endsAt, String comment) {
    }

    private void fill(OnloopPrincipal me, Model model) {
        Instant now = clock.instant();
        boolean admin = me.role().includes(Role.ADMIN);
        var stored = admin ? routing.yaml(me.tenantId()).orElse(null) : null;
        model.addAttribute("routeStored", stored);
        if (admin && !model.containsAttribute("routeYaml")) {
            model.addAttribute("routeYaml", stored == null ? "" : stored.yaml());
        }
        List<Silence> all = routing.allSilences(me.tenantId());
        model.addAttribute("currentSilences", all.stream().filter(s -> s.state(now) != Silence.State.EXPIRED).toList());
        model.addAttribute("expiredSilences", all.stream().filter(s -> s.state(now) == Silence.State.EXPIRED)
                .sorted(Comparator.comparing(Silence::endsAt).reversed()).limit(EXPIRED_SHOWN).toList());
        model.addAttribute("now", now);
        model.addAttribute("formats", formats.ids());
        if (!model.containsAttribute("silenceForm")) {
            model.addAttribute("silenceForm", new SilenceForm("", "",
                    LocalDateTime.ofInstant(now.plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.MINUTES), ZoneOffset.UTC).toString(), ""));
        }
        if (!model.containsAttribute("dryRunAlert")) {
            model.addAttribute("dryRunFormat", "generic");
            model.addAttribute("dryRunAlert", "");
        }
    }

    private static Instant time(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDateTime.parse(text.strip()).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            try {
                return Instant.parse(text.strip());
            } catch (DateTimeParseException e2) {
                throw ApiException.badParameter(field, "not a time (UTC, like 2026-03-02T10:00)");
            }
        }
    }
}
