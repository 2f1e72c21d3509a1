package io.onloop.app.api;

import io.onloop.adapters.runbooks.RunbookFiles;
import io.onloop.adapters.runbooks.RunbookFiles.ClassFile;
import io.onloop.adapters.runbooks.RunbookFiles.RecipeView;
import io.onloop.adapters.runbooks.RunbookFiles.TemplateFile;
import io.onloop.adapters.runbooks.RunbookFormatException;
import io.onloop.adapters.runbooks.RunbookValidator;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.event.Event;
import io.onloop.domain.runbook.RecipeEnrichment;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeStore.RecipeEdit;
import io.onloop.domain.runbook.RecipeTemplate;
import io.onloop.domain.runbook.RunbookClass;
import io.onloop.domain.runbook.RunbookEngine;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Runbook recipes: an incident's recipe, the knowledge-base classes, and the human loop: a
 * responder edits a class's recipe for the tenant (each save a new version, audited), lists the
 * versions and reverts. Edits win for incidents opened after them.
 */
@RestController
@Tag(name = "runbooks")
class RunbooksController {
    static final int MAX_EDIT_BYTES = 64 * 1024;

    private final RunbookEngine engine;
    private final RecipeStore recipes;
    private final RecipeEnrichment enrichment;
    private final EventStore events;
    private final RunbookEdits edits;
    private final Clock clock;

    RunbooksController(RunbookEngine engine, RecipeStore recipes, RecipeEnrichment enrichment, EventStore events,
                       RunbookEdits edits, Clock clock) {
        this.engine = engine;
        this.recipes = recipes;
        this.enrichment = enrichment;
        this.events = events;
        this.edits = edits;
        this.clock = clock;
    }

    public record RecipeResponse(UUID incidentId, Instant updatedAt, RecipeView recipe) {
    }

    public record RunbookSummary(String id, String title, String category, String severity) {
    }

    /**
     * @param edited  the tenant's edit in force, or null when the knowledge-base recipe applies
     * @param version the number of the newest version (0 when never edited)
     */
    public record RunbookDetail(ClassFile knowledgeBase, TemplateFile edited, int version, String editedBy,
                                Instant editedAt) {
    }

    public record VersionDto(int version, String author, Instant at, String note, boolean revertedToKnowledgeBase,
                             TemplateFile template) {
        static VersionDto of(RecipeEdit e) {
            return new VersionDto(e.version(), e.author(), e.at(), e.note(), e.template() == null,
                    e.template() == null ? null : RunbookFiles.view(e.template()));
        }
    }

    public record RevertRequest(Integer version, String note) {
    }

    public record LlmUsageDto(Instant since, long calls, long inputTokens, long outputTokens, double cost) {
    }

    @GetMapping("/api/v1/incidents/{id}/recipe")
    @Operation(summary = "The incident's runbook recipe",
            description = "Made from the knowledge base (or the tenant's edit, or generic) when the incident opened; "
                    + "replaced by the LLM's when one is configured. Made now if enrichment has not run yet.")
    RecipeResponse incidentRecipe(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        events.findIncident(me.tenantId(), id).orElseThrow(() -> ApiException.notFound("incident " + id));
        var stored = recipes.incidentRecipe(me.tenantId(), id);
        if (stored.isPresent()) {
            return new RecipeResponse(id, stored.get().updatedAt(), RunbookFiles.view(stored.get().recipe()));
        }
        Event latest = events.findEvents(new EventQuery(me.tenantId(), null, null, null, null, null, null, null, null,
                id, 1, null)).items().stream().findFirst()
                .orElseThrow(() -> ApiException.notFound("events of incident " + id));
        return new RecipeResponse(id, clock.instant(), RunbookFiles.view(enrichment.enrich(latest)));
    }

    @GetMapping("/api/v1/runbooks")
    @Operation(summary = "The knowledge-base classes, optionally filtered by category prefix or a word of the title")
    List<RunbookSummary> list(@RequestParam(required = false) String category, @RequestParam(required = false) String q) {
        String words = q == null ? "" : q.toLowerCase(Locale.ROOT);
        return engine.matcher().classes().stream()
                .filter(c -> category == null || c.category().startsWith(category))
                .filter(c -> words.isEmpty() || c.title().toLowerCase(Locale.ROOT).contains(words)
                        || c.id().contains(words))
                .map(c -> new RunbookSummary(c.id(), c.title(), c.category(), c.template().severity().level().id()))
                .toList();
    }

    @GetMapping("/api/v1/runbooks/{id}")
    @Operation(summary = "One class: its knowledge-base file and the tenant's edit in force, if any")
    RunbookDetail get(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id) {
        RunbookClass c = find(id);
        var current = recipes.currentEdit(me.tenantId(), id);
        return new RunbookDetail(RunbookFiles.view(c),
                current.flatMap(RecipeEdit::effective).map(RunbookFiles::view).orElse(null),
                current.map(RecipeEdit::version).orElse(0), current.map(RecipeEdit::author).orElse(null),
                current.map(RecipeEdit::at).orElse(null));
    }

    @PutMapping("/api/v1/runbooks/{id}")
    @Operation(summary = "Edit the class's recipe for this tenant (responder): a new version",
            description = "The body is the recipe part of a knowledge-base file (severity, interpretation, validation, "
                    + "troubleshooting, root_causes, remediation, references) as JSON or YAML; see docs/runbooks.md.")
    VersionDto edit(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id,
                    @RequestParam(required = false) String note, @RequestBody(required = false) String body) {
        find(id);
        if (body == null || body.isBlank()) {
            throw ApiException.badParameter("body", "the edited recipe is required");
        }
        if (body.length() > MAX_EDIT_BYTES) {
            throw ApiException.badParameter("body", "at most " + MAX_EDIT_BYTES + " characters");
        }
        checkNote(note);
        RecipeTemplate template;
        try {
            template = RunbookFiles.readTemplate("body", body);
        } catch (RunbookFormatException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid recipe", e.getMessage()).with("field", e.field());
        }
        List<String> problems = RunbookValidator.problems(template);
        if (!problems.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "Invalid recipe", String.join("; ", problems))
                    .with("problems", problems);
        }
        return VersionDto.of(edits.edit(me.tenantId(), me.name(), id, template, note));
    }

    @GetMapping("/api/v1/runbooks/{id}/versions")
    @Operation(summary = "Every version of the tenant's edits of the class, newest first")
    List<VersionDto> versions(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id) {
        find(id);
        return recipes.edits(me.tenantId(), id).stream().map(VersionDto::of).toList();
    }

    @PostMapping("/api/v1/runbooks/{id}/revert")
    @Operation(summary = "Revert to an earlier version, or to the knowledge base without a version (responder)")
    VersionDto revert(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable String id,
                      @RequestBody(required = false) RevertRequest body) {
        find(id);
        Integer version = body == null ? null : body.version();
        String note = body == null ? null : body.note();
        checkNote(note);
        RecipeTemplate template = null;
        if (version != null && version != 0) {
            template = recipes.edits(me.tenantId(), id).stream().filter(e -> e.version() == version).findFirst()
                    .orElseThrow(() -> ApiException.badParameter("version", "no version " + version + " of " + id))
                    .template();
        }
        String what = template == null ? "knowledge base" : "version " + version;
        return VersionDto.of(edits.revert(me.tenantId(), me.name(), id, template, what, note));
    }

    @GetMapping("/api/v1/llm/usage")
    @Operation(summary = "The tenant's LLM calls, tokens and cost (in the configured prices' currency) since a time",
            description = "since: ISO-8601 instant; default the start of the current UTC month.")
    LlmUsageDto llmUsage(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String since) {
        Instant from = since == null ? clock.instant().atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(1)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant() : QueryParams.instant("since", since);
        var t = recipes.llmUsage(me.tenantId(), from);
        return new LlmUsageDto(from, t.calls(), t.inputTokens(), t.outputTokens(), t.cost());
    }

    private RunbookClass find(String id) {
        return engine.find(id).orElseThrow(() -> ApiException.notFound("runbook " + id));
    }

    private static void checkNote(String note) {
        if (note != null && note.length() > IncidentsController.MAX_TEXT) {
            throw ApiException.badParameter("note", "at most " + IncidentsController.MAX_TEXT + " characters");
        }
    }
}
