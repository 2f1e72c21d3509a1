package io.onloop.app.console;

import io.onloop.adapters.runbooks.RunbookFiles;
import io.onloop.adapters.runbooks.RunbookFormatException;
import io.onloop.adapters.runbooks.RunbookValidator;
import io.onloop.app.api.RunbookEdits;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeStore.RecipeEdit;
import io.onloop.domain.runbook.RecipeTemplate;
import io.onloop.domain.runbook.RunbookClass;
import io.onloop.domain.runbook.RunbookEngine;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The runbook library: the knowledge-base classes, one class with its recipe template, and the
 * responder's edit of it for the tenant (the same checks, versions and audit entries as
 * {@code PUT /api/v1/runbooks/{id}} and {@code POST .../revert}).
 */
@Controller
class RunbookPages {
    static final int MAX_EDIT = 64 * 1024;
    private static final ObjectMapper YAML = YAMLMapper.builder().build();

    private final RunbookEngine engine;
    private final RecipeStore recipes;
    private final RunbookEdits edits;

    RunbookPages(RunbookEngine engine, RecipeStore recipes, RunbookEdits edits) {
        this.engine = engine;
        this.recipes = recipes;
        this.edits = edits;
    }

    @GetMapping("/console/runbooks")
    String list(@RequestParam(required = false) String q, Model model) {
        String words = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        List<RunbookClass> classes = engine.matcher().classes().stream()
                .filter(c -> words.isEmpty() || c.id().contains(words) || c.category().toLowerCase(Locale.ROOT).contains(words)
                        || c.title().toLowerCase(Locale.ROOT).contains(words))
                .toList();
        model.addAttribute("q", q == null ? "" : q);
        model.addAttribute("classes", classes);
        model.addAttribute("total", engine.matcher().classes().size());
        return "console/runbooks";
    }

    @GetMapping("/console/runbooks/{id}")
    String detail(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id, Model model) {
        RunbookClass c = find(id);
        var current = recipes.currentEdit(me.tenantId(), id).flatMap(RecipeEdit::effective);
        model.addAttribute("runbook", c);
        model.addAttribute("knowledgeBase", YAML.writeValueAsString(RunbookFiles.view(c)));
        model.addAttribute("edited", current.map(t -> YAML.writeValueAsString(RunbookFiles.view(t))).orElse(null));
        model.addAttribute("versions", recipes.edits(me.tenantId(), id));
        if (!model.containsAttribute("draft")) {
            model.addAttribute("draft", YAML.writeValueAsString(RunbookFiles.view(current.orElse(c.template()))));
        }
        return "console/runbook";
    }

    @PostMapping("/console/runbooks/{id}/edit")
    String edit(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id,
                @RequestParam(required = false) String recipe, @RequestParam(required = false) String note,
                RedirectAttributes flash) {
        find(id);
        List<String> problems = List.of();
        RecipeTemplate template = null;
        if (recipe == null || recipe.isBlank()) {
            problems = List.of("The edited recipe is required.");
        } else if (recipe.length() > MAX_EDIT || (note != null && note.length() > IncidentPages.MAX_TEXT)) {
            problems = List.of("The recipe may have at most " + MAX_EDIT + " characters, the note "
                    + IncidentPages.MAX_TEXT + ".");
        } else {
            try {
                template = RunbookFiles.readTemplate("recipe", recipe);
                problems = RunbookValidator.problems(template);
            } catch (RunbookFormatException e) {
                problems = List.of(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            flash.addFlashAttribute("problems", problems);
            flash.addFlashAttribute("draft", recipe == null ? "" : recipe);
            return redirect(id);
        }
        RecipeEdit saved = edits.edit(me.tenantId(), me.name(), id, template, blankToNull(note));
        flash.addFlashAttribute("notice", "Saved as version " + saved.version() + ".");
        return redirect(id);
    }

    /** Version 0 (or none) goes back to the knowledge base. */
    @PostMapping("/console/runbooks/{id}/revert")
    String revert(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id,
                  @RequestParam(defaultValue = "0") int version, RedirectAttributes flash) {
        find(id);
        RecipeTemplate template = null;
        if (version != 0) {
            var match = recipes.edits(me.tenantId(), id).stream().filter(e -> e.version() == version).findFirst();
            if (match.isEmpty()) {
                flash.addFlashAttribute("problem", "There is no version " + version + " of " + id + ".");
                return redirect(id);
            }
            template = match.get().template();
        }
        String what = template == null ? "knowledge base" : "version " + version;
        RecipeEdit saved = edits.revert(me.tenantId(), me.name(), id, template, what, null);
        flash.addFlashAttribute("notice", "Reverted to the " + what + " (version " + saved.version() + ").");
        return redirect(id);
    }

    private RunbookClass find(String id) {
        return engine.find(id).orElseThrow(() -> ConsoleException.notFound("Runbook " + id));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String redirect(String id) {
        return "redirect:/console/runbooks/" + id;
    }
}
