package io.onloop.adapters.runbooks;

import io.onloop.domain.runbook.RecipeCodec;
import io.onloop.domain.runbook.RecipeTemplate;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;

/**
 * The recipe part of the knowledge-base format as JSON, for the LLM advisor: what it sends as
 * context and how it reads the answer (strict shape, enums, https references, known variables;
 * destructive commands are left to RecipeSafety's warnings rather than refused).
 */
public final class RunbookCodec implements RecipeCodec {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public String write(RecipeTemplate template) {
        return JSON.writeValueAsString(RunbookFiles.view(template));
    }

    @Override
    public RecipeTemplate read(String text) {
        RecipeTemplate t;
        try {
            t = RunbookFiles.readTemplate("answer", text);
        } catch (RunbookFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<String> problems = RunbookValidator.problems(t, false);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("answer: " + String.join("; ", problems));
        }
        return t;
    }
}
