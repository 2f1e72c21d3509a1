package io.onloop.testkit.runbook;

import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeTemplate;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link RecipeStore} in memory, for tests of the stages that use it. */
public class InMemoryRecipeStore implements RecipeStore {
    private final Map<String, IncidentRecipe> recipes = new ConcurrentHashMap<>();
    private final Map<String, List<RecipeEdit>> edits = new ConcurrentHashMap<>();
    private final List<LlmUsage> usage = new CopyOnWriteArrayList<>();

    @Override
    public void putIncidentRecipe(String tenantId, UUID incidentId, Recipe recipe, Instant at) {
        recipes.put(tenantId + "/" + incidentId, new IncidentRecipe(tenantId, incidentId, recipe, micros(at)));
    }

    @Override
    public Optional<IncidentRecipe> incidentRecipe(String tenantId, UUID incidentId) {
        return Optional.ofNullable(recipes.get(tenantId + "/" + incidentId));
    }

    @Override
    public synchronized RecipeEdit addEdit(String tenantId, String classId, RecipeTemplate template, String author,
                                           Instant at, String note) {
        List<RecipeEdit> versions = edits.computeIfAbsent(tenantId + "/" + classId, k -> new ArrayList<>());
        var edit = new RecipeEdit(tenantId, classId, versions.size() + 1, template, author, micros(at), note);
        versions.add(edit);
        return edit;
    }

    @Override
    public synchronized List<RecipeEdit> edits(String tenantId, String classId) {
        return edits.getOrDefault(tenantId + "/" + classId, List.of()).stream()
                .sorted(Comparator.comparingInt(RecipeEdit::version).reversed()).toList();
    }

    @Override
    public Optional<RecipeEdit> currentEdit(String tenantId, String classId) {
        return edits(tenantId, classId).stream().findFirst();
    }

    @Override
    public void addLlmUsage(LlmUsage u) {
        usage.add(u);
    }

    @Override
    public LlmUsage.Totals llmUsage(String tenantId, Instant since) {
        var mine = usage.stream().filter(u -> u.tenantId().equals(tenantId) && !u.at().isBefore(since)).toList();
        return new LlmUsage.Totals(mine.size(), mine.stream().mapToLong(LlmUsage::inputTokens).sum(),
                mine.stream().mapToLong(LlmUsage::outputTokens).sum(), mine.stream().mapToDouble(LlmUsage::cost).sum());
    }

    private static Instant micros(Instant t) {
        return t.truncatedTo(ChronoUnit.MICROS);
    }
}
