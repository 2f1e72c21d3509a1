package io.onloop.domain.runbook;

/**
 * The few lines of a recipe that fit in a chat message or a page: what it means, the first
 * thing to check, the likeliest cause. The full recipe stays one click away in onloop.
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
}
