package io.onloop.domain.runbook;

/**
 * A recipe as plain text for notifications. {@link #of} is the few lines that fit a chat message:
 * what it means, the first thing to check, the likeliest cause. {@link #full} puts those first and
 * then every section, so a target that must cut (Slack, Teams) keeps the summary and e-mail carries
 * the whole recipe.
 */
public final class RecipeSummary {
    private RecipeSummary() {
    }

    public static String of(Recipe recipe) {
        var p = recipe.provenance();
        StringBuilder s = new StringBuilder();
        s.append("Runbook (").append(p.source().id());
        if (!p.classId().isEmpty()) {
            s.append(": ").append(p.classId());
        }
        s.append(", confidence ").append(Math.round(p.confidence() * 100)).append("%)");
        if (!recipe.interpretation().isBlank()) {
            s.append('\n').append(recipe.interpretation().strip());
        }
        recipe.validation().stream().findFirst().ifPresent(step -> {
            s.append("\nFirst check: ").append(step.step().strip());
            if (!step.command().isBlank()) {
                s.append("\n  ").append(step.command().strip());
            }
        });
        recipe.rootCauses().stream().findFirst()
                .ifPresent(c -> s.append("\nLikeliest cause: ").append(c.cause().strip()));
        recipe.warnings().forEach(w -> s.append("\nWarning: ").append(w.strip()));
        return s.toString();
    }

    public static String full(Recipe recipe) {
        StringBuilder s = new StringBuilder(of(recipe));
        s.append("\n\nSeverity: ").append(recipe.severity().level().id());
        if (!recipe.severity().reasoning().isBlank()) {
            s.append(" - ").append(recipe.severity().reasoning().strip());
        }
        steps(s, "Validate", recipe.validation());
        steps(s, "Troubleshoot", recipe.troubleshooting());
        if (!recipe.rootCauses().isEmpty()) {
            s.append("\n\nLikely root causes:");
            int n = 1;
            for (Recipe.RootCause c : recipe.rootCauses()) {
                s.append("\n").append(n++).append(". ").append(c.cause().strip()).append(" (")
                        .append(c.likelihood().id()).append(')');
                if (!c.check().isBlank()) {
                    s.append("\n   Check: ").append(c.check().strip());
                }
            }
        }
        if (!recipe.remediation().isEmpty()) {
            s.append("\n\nRemediation:");
            int n = 1;
            for (Recipe.Remediation r : recipe.remediation()) {
                s.append("\n").append(n++).append(". ").append(r.action().strip()).append(" (risk ").append(r.risk().id())
                        .append(r.reversible() ? ", reversible" : ", not reversible").append(')');
                if (!r.effect().isBlank()) {
                    s.append("\n   Effect: ").append(r.effect().strip());
                }
                if (!r.command().isBlank()) {
                    s.append("\n   ").append(r.command().strip());
                }
                if (!r.warning().isBlank()) {
                    s.append("\n   Warning: ").append(r.warning().strip());
                }
            }
        }
        if (!recipe.references().isEmpty()) {
            s.append("\n\nReferences:");
            recipe.references().forEach(r -> s.append("\n- ").append(r.title().strip()).append(": ").append(r.url().strip()));
        }
        return s.toString();
    }

    private static void steps(StringBuilder s, String heading, java.util.List<Recipe.Step> steps) {
        if (steps.isEmpty()) {
            return;
        }
        s.append("\n\n").append(heading).append(':');
        int n = 1;
        for (Recipe.Step step : steps) {
            s.append("\n").append(n++).append(". ").append(step.step().strip());
            if (!step.command().isBlank()) {
                s.append("\n   ").append(step.command().strip());
            }
            if (!step.warning().isBlank()) {
                s.append("\n   Warning: ").append(step.warning().strip());
            }
        }
    }
}
