package io.onloop.domain.runbook;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/** Where recipes live: each incident's current recipe, operators' versioned edits per class, LLM usage. */
public interface RecipeStore {

    /** Stores the incident's recipe, replacing the one it had. */
    void putIncidentRecipe(String tenantId, UUID incidentId, Recipe recipe, Instant at);

    /**
     * Stores the recipes of incidents that have none; an incident that got one meanwhile (made on demand
     * when someone opened it) keeps it. A database store does it in one transaction.
     */
    default void addIncidentRecipes(List<IncidentRecipe> recipes) {
        for (IncidentRecipe r : recipes) {
            if (incidentRecipe(r.tenantId(), r.incidentId()).isEmpty()) {
                putIncidentRecipe(r.tenantId(), r.incidentId(), r.recipe(), r.updatedAt());
            }
        }
    }

    Optional<IncidentRecipe> incidentRecipe(String tenantId, UUID incidentId);

    /**
     * Appends the next version of a class's edit for a tenant.
     *
     * @param template the new recipe, or null to go back to the knowledge base
     */
    RecipeEdit addEdit(String tenantId, String classId, RecipeTemplate template, String author, Instant at, String note);

    /** Every version, newest first. */
    List<RecipeEdit> edits(String tenantId, String classId);

    /** The newest version, if the class was ever edited for the tenant. */
    Optional<RecipeEdit> currentEdit(String tenantId, String classId);

    void addLlmUsage(LlmUsage usage);

    /** Totals of a tenant's LLM use since {@code since}. */
    LlmUsage.Totals llmUsage(String tenantId, Instant since);

    record IncidentRecipe(String tenantId, UUID incidentId, Recipe recipe, Instant updatedAt) {
    }

    /**
     * One version of an operator's edit.
     *
     * @param template null when this version went back to the knowledge-base recipe
     */
    record RecipeEdit(String tenantId, String classId, int version, RecipeTemplate template, String author, Instant at,
                      String note) {
        public RecipeEdit {
            Objects.requireNonNull(tenantId, "tenantId");
            Objects.requireNonNull(classId, "classId");
            author = Objects.requireNonNullElse(author, "");
            note = Objects.requireNonNullElse(note, "");
        }

        public Optional<RecipeTemplate> effective() {
            return Optional.ofNullable(template);
        }
    }

    /** One LLM call: who paid, which model, tokens in and out, what it cost (in the configured currency). */
    record LlmUsage(String tenantId, Instant at, String provider, String model, long inputTokens, long outputTokens,
                    double cost) {
        public record Totals(long calls, long inputTokens, long outputTokens, double cost) {
        }
    }
}
