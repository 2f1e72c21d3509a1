package io.onloop.domain.runbook;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code {{name}}} and {@code {{name|fallback}}} placeholders. One pass, left to right: a value is
 * inserted as plain text and never expanded again, so an alert that carries "{{...}}" in a label
 * cannot reach other variables. A missing value without a fallback shows as {@code <name>}.
 */
public final class Templates {
    /** The variables the engine provides besides {@code labels.<name>}; see docs/runbooks.md. */
    public static final Set<String> VARIABLES = Set.of("title", "summary", "severity", "source", "fingerprint",
            "resource.id", "resource.name", "resource.kind", "region", "account", "namespace", "pod", "node",
            "container", "workload", "instance", "metric", "threshold", "observed");
    public static final String LABEL_PREFIX = "labels.";

    static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([^}|]*?)\\s*(?:\\|([^}]*))?}}");
    /** What could end or escape the quotes a value is put inside, in the shell or the language inside them. */
    private static final Pattern QUOTING = Pattern.compile("['\"\\\\`$!\\r\\n]");
    /** What a command may contain unquoted; anything else is single-quoted for the shell. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:/=@,+%^-]*");

    private Templates() {
    }

    public static boolean isKnown(String name) {
        return VARIABLES.contains(name) || (name.startsWith(LABEL_PREFIX) && name.length() > LABEL_PREFIX.length());
    }

    /** The variable names used in a text, in order (for validation). */
    public static List<String> variables(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = PLACEHOLDER.matcher(text == null ? "" : text);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Fills in prose: values as they are. */
    public static String render(String text, Map<String, String> values) {
        return render(text, values, false);
    }

    /**
     * Fills in a command: a value with characters the shell would interpret (spaces, quotes, ;, $,
     * backticks, newlines...) is single-quoted, so a hostile label cannot add a command to the line. One inside the
     * command's own quotes is written as it is, unless it holds a quote, backslash, {@code $}, backtick, {@code !} or
     * line break: then {@code <name>}, as for a missing value, for the operator to fill in.
     */
    public static String renderCommand(String text, Map<String, String> values) {
        return render(text, values, true);
    }

    private static String render(String text, Map<String, String> values, boolean shell) {
        if (text == null || text.indexOf("{{") < 0) {
            return text == null ? "" : text;
        }
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder(text.length() + 32);
        int last = 0;
        int scanned = 0; // how far into out the quotes are known
        char quotes = 0;
        while (m.find()) {
            out.append(text, last, m.start());
            String value = values.get(m.group(1));
            if (value == null || value.isBlank()) {
                out.append(m.group(2) != null ? m.group(2).strip() : "<" + m.group(1) + ">");
            } else if (!shell || shellSafe(value)) {
                out.append(value); // a shell-safe value has no quote or backslash: it changes no quoting
            } else {
                // the quotes open where the value goes, as the command printed so far reads (fallbacks included)
                quotes = quotesAt(out, scanned, quotes);
                if (quotes == 0) {
                    out.append(shellQuote(value));
                } else if (QUOTING.matcher(value).find()) {
                    // inside quotes, whose language may be another's (PromQL pod="...", SQL in psql -c "... '...'"):
                    // no escaping is right for every one of them, so a value that could end them is not written
                    out.append("<").append(m.group(1)).append(">");
                } else {
                    out.append(value);
                }
                scanned = out.length();
            }
            last = m.end();
        }
        return out.append(text, last, text.length()).toString();
    }

    /**
     * The quotes open at the end of {@code command}, as the shell reads it: {@code '}, {@code "} or 0 for none, going
     * on from {@code open} at {@code from}.
     */
    private static char quotesAt(CharSequence command, int from, char open) {
        char q = open;
        for (int i = from; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\\' && q != '\'') {
                i++; // escaped, outside single quotes
            } else if (q == 0 && (c == '\'' || c == '"')) {
                q = c;
            } else if (c == q) {
                q = 0;
            }
        }
        return q;
    }

    /** Whether the shell reads {@code value} as one plain word, as it is. */
    public static boolean shellSafe(String value) {
        return SHELL_SAFE.matcher(value).matches();
    }

    /** The value as one word for the shell: as it is when that is safe, otherwise in single quotes. */
    public static String shellQuote(String value) {
        if (shellSafe(value)) {
            return value;
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
