package io.onloop.domain.runbook;

/**
 * The recipe part of the knowledge-base format as text (JSON is YAML too), for stages that send a
 * recipe out or read one back (the LLM advisor). {@link #read} is strict: shape, enums and the
 * rules of docs/runbooks.md.
 */
public interface RecipeCodec {
    String write(RecipeTemplate template);

    /** @throws IllegalArgumentException naming the field, when the text is not a valid recipe */
    RecipeTemplate read(String text);

    /** The recipe without its provenance and safety marks, as a template with concrete values. */
    static RecipeTemplate templateOf(Recipe r) {
        return new RecipeTemplate(r.interpretation(), r.severity(),
                r.validation().stream().map(s -> new Recipe.Step(s.step(), s.command())).toList(),
                r.troubleshooting().stream().map(s -> new Recipe.Step(s.step(), s.command())).toList(),
                r.rootCauses(),
                r.remediation().stream().map(o -> new Recipe.Remediation(o.action(), o.command(), o.risk(), o.effect(),
                        o.reversible(), o.automatable())).toList(),
                r.references());
    }
}
