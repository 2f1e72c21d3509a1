package io.onloop.testkit.runbook;

import io.onloop.domain.event.Severity;
import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.Recipe.Level;
import io.onloop.domain.runbook.RecipeStore;
import io.onloop.domain.runbook.RecipeStore.LlmUsage;
import io.onloop.domain.runbook.RecipeTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link RecipeStore} must do: an incident's recipe round-trips whole and is replaced,
 * edits are versions (newest in force, a null template is a revert), usage adds up, and nothing is
 * visible to another tenant. Each test uses fresh tenants from {@link #newTenant()}.
 */
public abstract class RecipeStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

    protected abstract RecipeStore store();

    /** A tenant that exists (stores with a foreign key to tenants need it created). */
    protected abstract String newTenant();

    private RecipeStore store;
    private String a;
    private String b;

    @BeforeEach
    void open() {
        store = store();
        a = newTenant();
        b = newTenant();
    }

    public static RecipeTemplate template(String interpretation) {
        return new RecipeTemplate(interpretation, new Recipe.SeverityAssessment(Severity.HIGH, "because"),
                List.of(new Recipe.Step("look", "kubectl get pods -n {{namespace|<ns>}}")),
                List.of(new Recipe.Step("dig", "")),
                List.of(new Recipe.RootCause("cause", Level.MEDIUM, "check")),
                List.of(new Recipe.Remediation("fix", "kubectl rollout restart deploy/x", Level.LOW, "fresh", true, true)),
                List.of(new Recipe.Reference("doc", "https://kubernetes.io/docs/")));
    }

    public static Recipe recipe(String interpretation, Recipe.Source source) {
        var t = template(interpretation);
        return new Recipe(t.interpretation(), t.severity(), t.validation(), t.troubleshooting(), t.rootCauses(),
                List.of(new Recipe.Remediation("fix", "kubectl rollout restart deploy/x", Level.LOW, "fresh", true,
                        true, true, "")),
                t.references(), new Recipe.Provenance(source, "k8s-x", 0.95, "identifier", "labels alertname=X"),
                List.of("a warning ünïcode"));
    }

    @Test
    void anIncidentRecipeRoundTripsAndIsReplaced() {
        UUID incident = UUID.randomUUID();
        assertThat(store.incidentRecipe(a, incident)).isEmpty();
        Recipe kb = recipe("from the knowledge base", Recipe.Source.KNOWLEDGE_BASE);
        store.putIncidentRecipe(a, incident, kb, T0);
        var stored = store.incidentRecipe(a, incident).orElseThrow();
        assertThat(stored.recipe()).isEqualTo(kb);
        assertThat(stored.updatedAt()).isEqualTo(T0);
        Recipe llm = recipe("from a model", Recipe.Source.LLM);
        store.putIncidentRecipe(a, incident, llm, T0.plusSeconds(5));
        assertThat(store.incidentRecipe(a, incident).orElseThrow().recipe()).isEqualTo(llm);
        assertThat(store.incidentRecipe(b, incident)).isEmpty();
    }

    @Test
    void recipesAddedTogetherGoToIncidentsWithoutOneAndLeaveThoseThatHaveOne() {
        UUID known = UUID.randomUUID();
        UUID fresh = UUID.randomUUID();
        Recipe onDemand = recipe("made on demand", Recipe.Source.KNOWLEDGE_BASE);
        store.putIncidentRecipe(a, known, onDemand, T0);
        Recipe added = recipe("added", Recipe.Source.KNOWLEDGE_BASE);
        store.addIncidentRecipes(List.of(
                new RecipeStore.IncidentRecipe(a, known, recipe("late", Recipe.Source.GENERIC), T0.plusSeconds(1)),
                new RecipeStore.IncidentRecipe(b, fresh, added, T0.plusSeconds(2)),
                new RecipeStore.IncidentRecipe(b, fresh, recipe("twice", Recipe.Source.GENERIC), T0.plusSeconds(3))));
        assertThat(store.incidentRecipe(a, known).orElseThrow().recipe()).as("kept").isEqualTo(onDemand);
        assertThat(store.incidentRecipe(b, fresh).orElseThrow())
                .satisfies(r -> assertThat(r.recipe()).isEqualTo(added))
                .satisfies(r -> assertThat(r.updatedAt()).isEqualTo(T0.plusSeconds(2)));
        assertThat(store.incidentRecipe(a, fresh)).isEmpty();
    }

    @Test
    void editsAreVersionsAndTheNewestIsInForce() {
        assertThat(store.currentEdit(a, "k8s-x")).isEmpty();
        var v1 = store.addEdit(a, "k8s-x", template("first"), "alice", T0, "clearer");
        var v2 = store.addEdit(a, "k8s-x", template("second"), "bob", T0.plusSeconds(60), "");
        var v3 = store.addEdit(a, "k8s-x", null, "alice", T0.plusSeconds(120), "revert to the knowledge base");
        assertThat(List.of(v1.version(), v2.version(), v3.version())).containsExactly(1, 2, 3);
        assertThat(store.edits(a, "k8s-x")).extracting(RecipeStore.RecipeEdit::version).containsExactly(3, 2, 1);
        var current = store.currentEdit(a, "k8s-x").orElseThrow();
        assertThat(current.effective()).isEmpty();
        assertThat(current.author()).isEqualTo("alice");
        var second = store.edits(a, "k8s-x").get(1);
        assertThat(second.template()).isEqualTo(template("second"));
        assertThat(second.at()).isEqualTo(T0.plusSeconds(60));
        assertThat(store.edits(b, "k8s-x")).isEmpty();
        assertThat(store.edits(a, "other")).isEmpty();
    }

    @Test
    void llmUsageAddsUpPerTenant() {
        store.addLlmUsage(new LlmUsage(a, T0, "openai", "gpt-4o-mini", 1000, 200, 0.0012));
        store.addLlmUsage(new LlmUsage(a, T0.plusSeconds(1), "openai", "gpt-4o-mini", 500, 100, 0.0006));
        store.addLlmUsage(new LlmUsage(b, T0, "ollama", "llama3", 10, 10, 0));
        var totals = store.llmUsage(a, T0.minusSeconds(1));
        assertThat(totals.calls()).isEqualTo(2);
        assertThat(totals.inputTokens()).isEqualTo(1500);
        assertThat(totals.outputTokens()).isEqualTo(300);
        assertThat(totals.cost()).isCloseTo(0.0018, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(store.llmUsage(a, T0.plusSeconds(1)).calls()).isEqualTo(1);
    }
}
