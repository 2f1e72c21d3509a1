package io.onloop.domain.runbook;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spots alert text that reads like instructions to an AI ("ignore previous instructions", chat
 * role markers, "you are now ..."). Such text stays data: it is still shown (escaped) and still
 * delimited as data in prompts; the recipe carries a warning so a person knows someone tried.
 */
public final class PromptInjection {
    private static final Pattern SUSPICIOUS = Pattern.compile(String.join("|",
            "\\b(?:ignore|disregard|forget|override)\\b.{0,40}\\b(?:previous|prior|above|earlier|all|your|system)\\b.{0,30}\\b(?:instructions?|prompts?|rules|directions|context)\\b",
            "\\byou\\s+are\\s+now\\b", "\\bact\\s+as\\s+(?:an?\\s+)?(?:admin|root|system|assistant|dan)\\b",
            "\\b(?:new|updated|real)\\s+instructions?\\s*:", "\\bsystem\\s+prompt\\b", "<\\|im_(?:start|end)\\|>",
            "\\[/?INST]", "(?m)^\\s*#{2,}\\s*(?:system|instruction)", "(?m)^\\s*(?:system|assistant)\\s*:",
            "\\bjailbreak\\b", "\\bdo\\s+not\\s+(?:tell|inform|alert)\\s+(?:the\\s+)?(?:user|operator|human)s?\\b",
            "\\b(?:set|change|lower|downgrade)\\s+(?:the\\s+)?severity\\s+to\\b",
            "\\b(?:run|execute)\\s+(?:the\\s+following|this)\\s+command\\b"),
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private PromptInjection() {
    }

    /** The suspicious phrase, if the text has one. */
    /**
     * The first such phrase anywhere in the alert's text that reaches a reader or a model: its title, summary, label
     * names and values, and its resource (a label's name or a resource id can carry instructions too).
     */
    public static Optional<String> findIn(io.onloop.domain.event.Event e) {
        return find(e.title()).or(() -> find(e.summary()))
                .or(() -> e.labels().entrySet().stream().flatMap(l -> find(l.getKey()).or(() -> find(l.getValue())).stream())
                        .findFirst())
                .or(() -> find(e.resource().id())).or(() -> find(e.resource().name()));
    }

    public static Optional<String> find(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SUSPICIOUS.matcher(text.length() > 16_384 ? text.substring(0, 16_384) : text);
        if (!m.find()) {
            return Optional.empty();
        }
        String phrase = m.group().replaceAll("\\s+", " ");
        return Optional.of(phrase.length() > 80 ? phrase.substring(0, 80) + "…" : phrase);
    }

    public static String warning(String phrase) {
        return "The alert text looks like it tries to instruct an AI (\"" + phrase
                + "\"). It was treated as data only; check who can send alerts to this source.";
    }
}
