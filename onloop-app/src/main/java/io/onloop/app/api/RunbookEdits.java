package io.onloop.app.api;

import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeStore.RecipeEdit;
import io.onloop.domain.runbook.RecipeTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;

/** A tenant's edits of a runbook class, each committed with its audit entry; for the API and the console alike. */
@Component
public class RunbookEdits {
    private final RecipeStore recipes;
    private final AuditLog audit;
    private final Clock clock;

    RunbookEdits(RecipeStore recipes, AuditLog audit, Clock clock) {
        this.recipes = recipes;
        this.audit = audit;
        this.clock = clock;
    }

    /** A new version with this (checked) template. */
    public RecipeEdit edit(String tenantId, String actor, String classId, RecipeTemplate template, String note) {
        return audit.inOneTransaction(() -> {
            RecipeEdit saved = recipes.addEdit(tenantId, classId, template, actor, clock.instant(), note);
            audit.record(tenantId, actor, "runbook.edit", "runbook", classId, "version " + saved.version());
            return saved;
        });
    }

    /**
     * A new version with an earlier version's template, or none (the knowledge base's).
     *
     * @param what what it goes back to, as people read it: "version 3", "knowledge base"
     * @param note null or blank: "revert to " + what
     */
    public RecipeEdit revert(String tenantId, String actor, String classId, RecipeTemplate to, String what,
                             String note) {
        return audit.inOneTransaction(() -> {
            RecipeEdit saved = recipes.addEdit(tenantId, classId, to, actor, clock.instant(),
                    note == null || note.isBlank() ? "revert to " + what : note);
            audit.record(tenantId, actor, "runbook.revert", "runbook", classId, "version " + saved.version() + " = " + what);
            return saved;
        });
    }
}
