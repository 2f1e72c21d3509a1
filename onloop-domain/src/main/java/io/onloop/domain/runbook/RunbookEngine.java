package io.onloop.domain.runbook;

import io.onloop.domain.event.Event;
import io.onloop.domain.runbook.Recipe.Provenance;
import io.onloop.domain.runbook.Recipe.Remediation;
import io.onloop.domain.runbook.Recipe.RootCause;
import io.onloop.domain.runbook.Recipe.SeverityAssessment;
import io.onloop.domain.runbook.Recipe.Step;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * Turns an event into a recipe: match a class, take the tenant's edited template for it if there
 * is one (edits win), fill in the event's values, run the safety pass and flag text that looks like
 * an attempt to instruct an AI. Without a match, a generic recipe. Pure and thread-safe.
 */
public final class RunbookEngine {
    private final RunbookMatcher matcher;

    public RunbookEngine(List<RunbookClass> classes) {
        this.matcher = new RunbookMatcher(classes);
    }

    public RunbookMatcher matcher() {
        return matcher;
    }

    public Optional<RunbookClass> find(String id) {
        return matcher.classes().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /**
     * @param edited the tenant's edited template of a class (tenant id, class id), if any
     */
    public Recipe recipeFor(Event event, BiFunction<String, String, Optional<RecipeTemplate>> edited) {
        Map<String, String> values = TemplateVariables.of(event);
        Optional<RunbookMatcher.Match> match = matcher.match(event);
        Recipe recipe;
        if (match.isEmpty()) {
            recipe = GenericRecipe.of(event, values);
        } else {
            var m = match.get();
            Optional<RecipeTemplate> edit = edited.apply(event.tenantId(), m.runbookClass().id());
            var provenance = new Provenance(edit.isPresent() ? Recipe.Source.EDITED : Recipe.Source.KNOWLEDGE_BASE,
                    m.runbookClass().id(), m.confidence(), m.matchedBy(), m.why());
            recipe = render(edit.orElse(m.runbookClass().template()), values, provenance);
        }
        return flagInjection(RecipeSafety.apply(recipe), event);
    }

    public static Recipe render(RecipeTemplate t, Map<String, String> v, Provenance provenance) {
        List<Step> validation = steps(t.validation(), v);
        List<Step> troubleshooting = steps(t.troubleshooting(), v);
        List<RootCause> causes = t.rootCauses().stream()
                .map(c -> new RootCause(Templates.render(c.cause(), v), c.likelihood(), Templates.render(c.check(), v)))
                .toList();
        List<Remediation> options = t.remediation().stream()
                .map(r -> new Remediation(Templates.render(r.action(), v), Templates.renderCommand(r.command(), v),
                        r.risk(), Templates.render(r.effect(), v), r.reversible(), r.automatable()))
                .toList();
        return new Recipe(Templates.render(t.interpretation(), v),
                new SeverityAssessment(t.severity().level(), Templates.render(t.severity().reasoning(), v)),
                validation, troubleshooting, causes, options, t.references(), provenance, List.of());
    }

    private static List<Step> steps(List<Step> steps, Map<String, String> v) {
        List<Step> out = new ArrayList<>(steps.size());
        for (Step s : steps) {
            out.add(new Step(Templates.render(s.step(), v), Templates.renderCommand(s.command(), v)));
        }
        return out;
    }

    private static Recipe flagInjection(Recipe r, Event e) {
        Optional<String> phrase = PromptInjection.findIn(e);
        if (phrase.isEmpty()) {
            return r;
        }
        List<String> warnings = new ArrayList<>(r.warnings());
        warnings.add(PromptInjection.warning(phrase.get()));
        return new Recipe(r.interpretation(), r.severity(), r.validation(), r.troubleshooting(), r.rootCauses(),
                r.remediation(), r.references(), r.provenance(), warnings);
    }
}
