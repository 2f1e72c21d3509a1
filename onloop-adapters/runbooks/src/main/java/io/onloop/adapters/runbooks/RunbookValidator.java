package io.onloop.adapters.runbooks;

import io.onloop.domain.runbook.Recipe;
import io.onloop.domain.runbook.RecipeSafety;
import io.onloop.domain.runbook.RecipeTemplate;
import io.onloop.domain.runbook.RunbookClass;
import io.onloop.domain.runbook.Templates;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The checks a parsed class or edit must pass beyond its shape: ids and categories, https-only
 * references, known template variables, compilable regular expressions, and destructive commands
 * only as high-risk remediation with "WARNING" in the effect. Returns every problem, not the first.
 */
public final class RunbookValidator {
    static final Pattern ID = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*");
    static final Pattern CATEGORY = Pattern.compile("[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:[-.][a-z0-9]+)*");

    private RunbookValidator() {
    }

    public static List<String> problems(RunbookClass c) {
        List<String> out = new ArrayList<>();
        if (!ID.matcher(c.id()).matches()) {
            out.add("id: \"" + c.id() + "\" must be lowercase letters, digits and dashes");
        }
        if (!CATEGORY.matcher(c.category()).matches()) {
            out.add("category: \"" + c.category() + "\" must be <provider>/<service> in lower case");
        }
        var identifiers = c.match().identifiers();
        for (int i = 0; i < identifiers.size(); i++) {
            for (var e : identifiers.get(i).entrySet()) {
                if (e.getValue().startsWith("~")) {
                    try {
                        Pattern.compile(e.getValue().substring(1));
                    } catch (PatternSyntaxException ex) {
                        out.add("match.identifiers[" + i + "]." + e.getKey() + ": invalid regular expression: "
                                + ex.getDescription());
                    }
                }
            }
        }
        var keywords = c.match().keywords();
        for (int i = 0; i < keywords.size(); i++) {
            if (!keywords.get(i).equals(keywords.get(i).toLowerCase(Locale.ROOT))) {
                out.add("match.keywords[" + i + "]: \"" + keywords.get(i) + "\" must be lower case");
            }
        }
        out.addAll(problems(c.template()));
        return out;
    }

    public static List<String> problems(RecipeTemplate t) {
        return problems(t, true);
    }

    /**
     * @param destructiveRules false for text onloop did not write itself (an LLM's answer): there a
     *                         destructive command is not an error but gets RecipeSafety's warning
     */
    public static List<String> problems(RecipeTemplate t, boolean destructiveRules) {
        List<String> out = new ArrayList<>();
        variables(out, "interpretation", t.interpretation());
        variables(out, "severity.reasoning", t.severity().reasoning());
        steps(out, "validation", t.validation(), destructiveRules);
        steps(out, "troubleshooting", t.troubleshooting(), destructiveRules);
        for (int i = 0; i < t.rootCauses().size(); i++) {
            variables(out, "root_causes[" + i + "].cause", t.rootCauses().get(i).cause());
            variables(out, "root_causes[" + i + "].check", t.rootCauses().get(i).check());
        }
        for (int i = 0; i < t.remediation().size(); i++) {
            Recipe.Remediation r = t.remediation().get(i);
            String p = "remediation[" + i + "]";
            variables(out, p + ".action", r.action());
            variables(out, p + ".command", r.command());
            variables(out, p + ".effect", r.effect());
            Optional<String> d = RecipeSafety.destructive(r.command());
            if (destructiveRules && d.isPresent() && (r.risk() != Recipe.Level.HIGH || !r.effect().contains("WARNING"))) {
                out.add(p + ".command: destructive (\"" + d.get()
                        + "\"): needs risk high and the word WARNING in effect");
            }
        }
        for (int i = 0; i < t.references().size(); i++) {
            String url = t.references().get(i).url();
            if (!isHttps(url)) {
                out.add("references[" + i + "].url: \"" + url + "\" must be an https URL");
            }
        }
        return out;
    }

    private static void steps(List<String> out, String field, List<Recipe.Step> steps, boolean destructiveRules) {
        for (int i = 0; i < steps.size(); i++) {
            String p = field + "[" + i + "]";
            variables(out, p + ".step", steps.get(i).step());
            variables(out, p + ".command", steps.get(i).command());
            if (destructiveRules) {
                RecipeSafety.destructive(steps.get(i).command()).ifPresent(d ->
                        out.add(p + ".command: destructive (\"" + d + "\"): only allowed in remediation"));
            }
        }
    }

    private static void variables(List<String> out, String field, String text) {
        for (String v : Templates.variables(text)) {
            if (!Templates.isKnown(v)) {
                out.add(field + ": unknown template variable {{" + v + "}}");
            }
        }
    }

    private static boolean isHttps(String url) {
        try {
            URI u = new URI(url);
            return "https".equals(u.getScheme()) && u.getHost() != null && !u.getHost().isEmpty();
        } catch (Exception e) {
            return false;
        }
    }
}
