package io.onloop.domain.anomaly.watch;

import java.util.Optional;

/**
 * The series behind an alerting rule. A rule's expression is usually a condition,
 * {@code <series> <comparison> <threshold>}; evaluated as it is, it returns only the series already
 * past the threshold. Watching the side that is not a number instead shows onloop every series the
 * alert looks at, before any crosses the line.
 */
public final class AlertRuleQueries {

    private AlertRuleQueries() {
    }

    /**
     * The side of the expression's one top-level comparison that is not a number, with any
     * {@code bool} modifier dropped; empty when the expression has no top-level comparison, more
     * than one, or compares two queries (nothing safe to pick).
     */
    public static Optional<String> seriesBehind(String rule) {
        String expr = withoutComments(rule);
        int depth = 0;
        char quote = 0;
        int at = -1;
        int length = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '"', '\'', '`' -> quote = c;
                case '(', '{', '[' -> depth++;
                case ')', '}', ']' -> depth--;
                case '>', '<', '=', '!' -> {
                    if (depth != 0) {
                        continue;
                    }
                    char next = i + 1 < expr.length() ? expr.charAt(i + 1) : 0;
                    int len = next == '=' ? 2 : 1;
                    if ((c == '=' || c == '!') && next != '=') {
                        continue; // '=~' or '!~' only appear inside braces; a lone '=' is not PromQL at the top
                    }
                    if (at >= 0) {
                        return Optional.empty(); // more than one comparison
                    }
                    at = i;
                    length = len;
                    i += len - 1;
                }
                default -> {
                }
            }
        }
        if (at < 0) {
            return Optional.empty();
        }
        String left = expr.substring(0, at).strip();
        String right = stripBool(expr.substring(at + length).strip());
        boolean leftNumber = isNumber(left);
        boolean rightNumber = isNumber(right);
        if (leftNumber == rightNumber || (leftNumber ? right : left).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(leftNumber ? right : left);
    }

    /** PromQL comments run from '#' (outside a string) to the end of the line. */
    private static String withoutComments(String expr) {
        StringBuilder out = new StringBuilder(expr.length());
        char quote = 0;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (quote == 0 && c == '#') {
                int nl = expr.indexOf('\n', i);
                if (nl < 0) {
                    break;
                }
                i = nl;
                c = '\n';
            } else if (quote != 0 && c == '\\' && i + 1 < expr.length()) {
                out.append(c);
                c = expr.charAt(++i);
            } else if (quote != 0 && c == quote) {
                quote = 0;
            } else if (quote == 0 && (c == '"' || c == '\'' || c == '`')) {
                quote = c;
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String stripBool(String s) {
        return s.startsWith("bool ") || s.startsWith("bool\t") ? s.substring(5).strip() : s;
    }

    private static boolean isNumber(String s) {
        String t = s.replace("_", "");
        if (t.matches("[+-]?(Inf|NaN)") || t.matches("[+-]?0x[0-9a-fA-F]+")) {
            return true;
        }
        try {
            Double.parseDouble(t);
            return !t.isEmpty() && !t.endsWith("d") && !t.endsWith("f") && !t.endsWith("D") && !t.endsWith("F");
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
