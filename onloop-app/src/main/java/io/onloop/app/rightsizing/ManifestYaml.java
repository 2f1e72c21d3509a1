package io.onloop.app.rightsizing;

import io.onloop.domain.rightsizing.copilot.PlanException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Why the planner found no workload in a manifest supplied at approval, when the reason is that the text is not YAML:
 * the planner edits it line by line and would say only that the workload is missing, which sends a person looking in
 * the wrong place. Only then is it parsed: a file the line editor can patch (a Helm template's lines among the YAML)
 * is not refused for not being YAML.
 */
public final class ManifestYaml {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final String NO_WORKLOAD = "the manifest has no ";

    private ManifestYaml() {
    }

    /** {@code refusal}, or the same naming the line and column where the manifest stops being YAML. */
    public static PlanException explain(PlanException refusal, String manifest) {
        if (manifest == null || refusal.getMessage() == null || !refusal.getMessage().startsWith(NO_WORKLOAD)) {
            return refusal;
        }
        try (JsonParser p = YAML.createParser(manifest)) {
            while (p.nextToken() != null) {
                p.skipChildren();
            }
            return refusal;
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            return new PlanException(refusal.getMessage() + "; it is not valid YAML" + (l == null ? ""
                    : " at line " + l.getLineNr() + ", column " + l.getColumnNr()) + ": " + e.getOriginalMessage());
        }
    }
}
