package io.onloop.app.rightsizing;

import io.onloop.domain.rightsizing.copilot.ChangePlanner;
import io.onloop.domain.rightsizing.copilot.PlanException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * A manifest supplied at approval, read as YAML before the planner edits it line by line: the planner would say of a
 * file that does not parse only that it holds no such workload, which sends a person looking in the wrong place.
 */
public final class ManifestYaml {
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    private ManifestYaml() {
    }

    /** @throws PlanException naming the line and column where the text stops being YAML */
    public static ChangePlanner.Manifest manifest(String path, String yaml) {
        try (JsonParser p = YAML.createParser(yaml)) {
            while (p.nextToken() != null) {
                p.skipChildren();
            }
        } catch (JacksonException e) {
            TokenStreamLocation l = e.getLocation();
            throw new PlanException("the manifest is not valid YAML" + (l == null ? "" : " at line " + l.getLineNr()
                    + ", column " + l.getColumnNr()) + ": " + e.getOriginalMessage());
        }
        return new ChangePlanner.Manifest(path, yaml);
    }
}
