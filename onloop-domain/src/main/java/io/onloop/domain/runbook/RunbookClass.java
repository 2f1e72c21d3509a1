package io.onloop.domain.runbook;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One alert class of the knowledge base: how to recognise its events and the recipe for them.
 *
 * @param category {@code <provider>/<service>}, e.g. {@code aws/rds}
 */
public record RunbookClass(String id, String title, String category, MatchRules match, RecipeTemplate template) {
    public RunbookClass {
        Objects.requireNonNull(id, "id");
        title = Objects.requireNonNullElse(title, id);
        category = Objects.requireNonNullElse(category, "");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(template, "template");
    }

    /**
     * @param identifiers each entry maps label names to values; it matches an event that has every
     *                    one of those labels with that value (case-insensitive). A value starting with
     *                    {@code ~} is a regular expression that must match the whole value.
     * @param keywords    distinctive lower-case words for the text-similarity fallback
     */
    public record MatchRules(List<Map<String, String>> identifiers, List<String> keywords) {
        public MatchRules {
            identifiers = Objects.requireNonNullElse(identifiers, List.<Map<String, String>>of()).stream()
                    .map(Map::copyOf).toList();
            keywords = List.copyOf(Objects.requireNonNullElse(keywords, List.of()));
        }
    }
}
