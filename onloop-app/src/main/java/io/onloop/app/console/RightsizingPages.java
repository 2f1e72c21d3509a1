package io.onloop.app.console;

import io.onloop.app.rightsizing.ManifestYaml;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.access.Role;
import io.onloop.domain.rightsizing.copilot.AlreadyDecidedException;
import io.onloop.domain.rightsizing.copilot.ChangedSinceReadException;
import io.onloop.domain.rightsizing.copilot.ChangePlanner;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.PlanException;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Rightsizing: the tenant's recommendations by savings with their risk, confidence and evidence; approve
 * (which shows the change plan) or reject with a comment. The checks are the {@link Copilot}'s, as for
 * the API; nothing is applied by onloop.
 */
@Controller
class RightsizingPages {
    private static final int PAGE_SIZE = 100;
    private static final int MAX_MANIFEST_CHARS = 1024 * 1024;

    private final Copilot copilot;

    RightsizingPages(Copilot copilot) {
        this.copilot = copilot;
    }

    @GetMapping("/console/rightsizing")
    String list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String status,
                @RequestParam(required = false) String environment, @RequestParam(required = false) String namespace,
                @RequestParam(required = false) String minSavings, @RequestParam(required = false) String maxRisk,
                Model model) {
        // A filter that is wrong is said above the list, which shows what the others select, as the events' do.
        List<String> errors = new ArrayList<>();
        Status chosen = status == null || status.isBlank() ? Status.OPEN
                : status.equalsIgnoreCase("all") ? null : parse(status);
        Double risk = number("Risk at most", maxRisk, errors);
        if (risk != null && (risk < 0 || risk > 1)) {
            errors.add("Risk at most: a number from 0 to 1.");
            risk = null;
        }
        var query = new RecommendationQuery(me.tenantId(), text(environment), text(namespace), null, null,
                number("Saves at least", minSavings, errors), risk, chosen, PAGE_SIZE, null);
        model.addAttribute("filterErrors", errors);
        model.addAttribute("recommendations", copilot.list(query).items());
        model.addAttribute("statuses", Arrays.stream(Status.values()).map(Status::id).toList());
        model.addAttribute("filter", new Filter(chosen == null ? "all" : chosen.id(), text(environment),
                text(namespace), text(minSavings), text(maxRisk)));
        model.addAttribute("canApprove", canApprove(me));
        return "console/rightsizing";
    }

    @GetMapping("/console/rightsizing/{id}")
    String one(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id, Model model) {
        model.addAttribute("r", copilot.find(me.tenantId(), id)
                .orElseThrow(() -> new ConsoleException(HttpStatus.NOT_FOUND, "No such recommendation.")));
        model.addAttribute("canApprove", canApprove(me));
        return "console/recommendation";
    }

    @PostMapping("/console/rightsizing/{id}/approve")
    String approve(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                   @RequestParam(required = false) String comment, @RequestParam(required = false) String manifest,
                   @RequestParam(required = false) String manifestPath, @RequestParam(required = false) Instant seen,
                   RedirectAttributes flash) {
        try {
            ChangePlanner.Manifest m = null;
            if (manifest != null && !manifest.isBlank()) {
                if (manifest.length() > MAX_MANIFEST_CHARS) {
                    throw new PlanException("the manifest is longer than " + MAX_MANIFEST_CHARS + " characters");
                }
                m = new ChangePlanner.Manifest(manifestPath, manifest);
            }
            found(copilot.approve(me.tenantId(), id, me.name(), comment, m, seen));
            flash.addFlashAttribute("notice", "Approved. The change plan is below; onloop has applied nothing.");
        } catch (AlreadyDecidedException | ChangedSinceReadException | IllegalArgumentException e) {
            String why = e instanceof PlanException p ? ManifestYaml.explain(p, manifest).getMessage() : e.getMessage();
            flash.addFlashAttribute("problem", "Not approved: " + why);
            flash.addFlashAttribute("approveDraft", new ApproveDraft(comment, manifestPath, manifest)); // to correct, not retype
        }
        return "redirect:/console/rightsizing/" + id;
    }

    @PostMapping("/console/rightsizing/{id}/reject")
    String reject(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                  @RequestParam(required = false) String comment, @RequestParam(required = false) Instant seen,
                  RedirectAttributes flash) {
        try {
            found(copilot.reject(me.tenantId(), id, me.name(), comment, seen));
            flash.addFlashAttribute("notice", "Rejected.");
        } catch (AlreadyDecidedException | ChangedSinceReadException | IllegalArgumentException e) {
            flash.addFlashAttribute("problem", "Not rejected: " + e.getMessage());
        }
        return "redirect:/console/rightsizing/" + id;
    }

    /** What an approval that was refused had in its form, shown in it again. */
    record ApproveDraft(String comment, String manifestPath, String manifest) {
    }

    /** The filters as the form shows them again. */
    record Filter(String status, String environment, String namespace, String minSavings, String maxRisk) {
    }

    private static boolean canApprove(OnloopPrincipal me) {
        return me.role().includes(Role.APPROVER);
    }

    private static StoredRecommendation found(java.util.Optional<StoredRecommendation> r) {
        return r.orElseThrow(() -> new ConsoleException(HttpStatus.NOT_FOUND, "No such recommendation."));
    }

    private static Status parse(String status) {
        try {
            return Status.fromId(status);
        } catch (IllegalArgumentException e) {
            throw new ConsoleException(HttpStatus.BAD_REQUEST, "Unknown status; expected one of "
                    + List.of("open", "approved", "rejected", "superseded", "all") + ".");
        }
    }

    private static Double number(String label, String value, List<String> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        errors.add(label + ": a number, such as 12.5.");
        return null;
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
