package io.onloop.domain.runbook;

import io.onloop.domain.runbook.Recipe.Reference;
import io.onloop.domain.runbook.Recipe.Remediation;
import io.onloop.domain.runbook.Recipe.RootCause;
import io.onloop.domain.runbook.Recipe.SeverityAssessment;
import io.onloop.domain.runbook.Recipe.Step;

import java.util.List;
import java.util.Objects;

/**
 * The recipe of an alert class before it meets an event: its texts may hold {@code {{variable}}}
 * and {@code {{variable|fallback}}} placeholders (see {@link Templates}). A knowledge-base file
 * holds one; an operator's edit replaces it for their tenant.
 */
public record RecipeTemplate(
        String interpretation,
        SeverityAssessment severity,
        List<Step> validation,
        List<Step> troubleshooting,
        List<RootCause> rootCauses,
        List<Remediation> remediation,
        List<Reference> references) {

    public RecipeTemplate {
        interpretation = Objects.requireNonNullElse(interpretation, "");
        Objects.requireNonNull(severity, "severity");
        validation = List.copyOf(Objects.requireNonNullElse(validation, List.of()));
        troubleshooting = List.copyOf(Objects.requireNonNullElse(troubleshooting, List.of()));
        rootCauses = List.copyOf(Objects.requireNonNullElse(rootCauses, List.of()));
        remediation = List.copyOf(Objects.requireNonNullElse(remediation, List.of()));
        references = List.copyOf(Objects.requireNonNullElse(references, List.of()));
    }

    /** The same template with every command passed through {@code f}, and nothing else changed. */
    public RecipeTemplate mapCommands(java.util.function.UnaryOperator<String> f) {
        return new RecipeTemplate(interpretation, severity,
                validation.stream().map(s -> new Step(s.step(), f.apply(s.command()))).toList(),
                troubleshooting.stream().map(s -> new Step(s.step(), f.apply(s.command()))).toList(),
                rootCauses,
                remediation.stream().map(r -> new Remediation(r.action(), f.apply(r.command()), r.risk(), r.effect(),
                        r.reversible(), r.automatable())).toList(),
                references);
    }

    /** The same template with every text passed through {@code f} (levels, flags and URLs unchanged). */
    public RecipeTemplate mapTexts(java.util.function.UnaryOperator<String> f) {
        return new RecipeTemplate(f.apply(interpretation),
                new SeverityAssessment(severity.level(), f.apply(severity.reasoning())),
                validation.stream().map(s -> new Step(f.apply(s.step()), f.apply(s.command()))).toList(),
                troubleshooting.stream().map(s -> new Step(f.apply(s.step()), f.apply(s.command()))).toList(),
                rootCauses.stream().map(c -> new RootCause(f.apply(c.cause()), c.likelihood(), f.apply(c.check()))).toList(),
                remediation.stream().map(r -> new Remediation(f.apply(r.action()), f.apply(r.command()), r.risk(),
                        f.apply(r.effect()), r.reversible(), r.automatable())).toList(),
                references.stream().map(r -> new Reference(f.apply(r.title()), r.url())).toList());
    }
}
