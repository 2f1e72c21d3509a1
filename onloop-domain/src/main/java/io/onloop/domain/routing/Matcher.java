package io.onloop.domain.routing;

import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One label matcher with Alertmanager's semantics: {@code =} and {@code !=} compare the whole value,
 * {@code =~} and {@code !~} match a regular expression anchored at both ends, and a missing label
 * counts as the empty string (so {@code foo=""} matches alerts without {@code foo}).
 */
public record Matcher(String name, Op op, String value, Pattern pattern) {

    public enum Op {
        EQUAL("="), NOT_EQUAL("!="), REGEX("=~"), NOT_REGEX("!~");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Matcher {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(value, "value");
    }

    /** @throws IllegalArgumentException if the name is blank or a regex does not compile */
    public static Matcher of(String name, Op op, String value) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("matcher needs a label name");
        }
        Pattern p = null;
        if (op == Op.REGEX || op == Op.NOT_REGEX) {
            try {
                // Alertmanager anchors the expression: "web" does not match "webserver".
                p = Pattern.compile("^(?:" + value + ")$", Pattern.DOTALL);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression " + quote(value) + ": "
                        + e.getDescription());
            }
        }
        return new Matcher(name, op, value, p);
    }

    public static Matcher equal(String name, String value) {
        return of(name, Op.EQUAL, value);
    }

    /**
     * Parses one matcher written as in Alertmanager ({@code name="value"}, {@code name!~"a|b"}, quotes
     * optional).
     */
    public static Matcher parse(String text) {
        return parse(text, true);
    }

    /**
     * As a matcher saved before quoted values were checked was read: quotes at both ends are dropped, whatever is
     * between them ({@code a="x",b="y"} is one matcher whose value is all between the outer quotes, and matches
     * nothing), and an unclosed quote is part of the value. For route files saved then, which must route as they did.
     */
    public static Matcher parseAsSaved(String text) {
        return parse(text, false);
    }

    private static Matcher parse(String text, boolean strict) {
        String s = text.strip();
        if (s.startsWith("{") && s.endsWith("}")) {
            s = s.substring(1, s.length() - 1).strip();
        }
        int i = 0;
        while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
            i++;
        }
        String name = s.substring(0, i);
        String rest = s.substring(i).stripLeading();
        Op op = null;
        for (Op candidate : new Op[]{Op.NOT_REGEX, Op.REGEX, Op.NOT_EQUAL, Op.EQUAL}) {
            if (rest.startsWith(candidate.symbol)) {
                op = candidate;
                break;
            }
        }
        if (name.isEmpty() || op == null) {
            throw new IllegalArgumentException("cannot parse matcher " + quote(text)
                    + ": expected name, one of = != =~ !~, and a value");
        }
        String value = rest.substring(op.symbol.length()).strip();
        if (strict && value.startsWith("\"")) {
            value = unquote(text, value);
        } else if (!strict && value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return of(name, op, value);
    }

    /**
     * A quoted value, {@code \"} and {@code \\} its only escapes (so a regex's {@code \d} stays as written). Text after the
     * closing quote is refused: {@code a="x",b="y"} is two matchers, which would otherwise be one that matches nothing.
     */
    private static String unquote(String text, String quoted) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < quoted.length(); i++) {
            char c = quoted.charAt(i);
            if (c == '"') {
                if (i != quoted.length() - 1) {
                    throw new IllegalArgumentException("cannot parse matcher " + quote(text) + ": text after the quoted"
                            + " value; give each matcher on its own");
                }
                return out.toString();
            }
            if (c == '\\' && i + 1 < quoted.length() && (quoted.charAt(i + 1) == '"' || quoted.charAt(i + 1) == '\\')) {
                c = quoted.charAt(++i);
            }
            out.append(c);
        }
        throw new IllegalArgumentException("cannot parse matcher " + quote(text) + ": the quoted value is not closed");
    }

    private static final Logger LOG = Logger.getLogger(Matcher.class.getName());
    /** The regexes that gave up, each logged once (the first 100). */
    private static final java.util.Set<String> WARNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Whether the labels satisfy this matcher. A regex that overflows the stack on a long value (Java's regex engine
     * recurses for some patterns), or that needs more than {@link #maxReads} character reads of it, does not match,
     * whatever the operator: the alert is routed, not silenced or inhibited, and routing does not stop.
     */
    public boolean matches(Map<String, String> labels) {
        String v = labels.getOrDefault(name, "");
        try {
            return switch (op) {
                case EQUAL -> v.equals(value);
                case NOT_EQUAL -> !v.equals(value);
                case REGEX -> pattern.matcher(new Bounded(v)).matches();
                case NOT_REGEX -> !pattern.matcher(new Bounded(v)).matches();
            };
        } catch (StackOverflowError e) {
            return false;
        } catch (Bounded.TooCostly e) {
            if (WARNED.size() < 100 && WARNED.add(value)) {
                LOG.log(Level.WARNING, "regex {0} gave up on a value of {1} characters of label {2} after {3} reads, and "
                        + "counts as not matching (said once per regex): it backtracks; write it without nested or "
                        + "adjacent repeats such as (.*a)+", new Object[]{quote(value), v.length(), name, maxReads(v.length())});
            }
            return false;
        }
    }

    /**
     * The most characters one match may read: 64 passes over the value, and 4,096 more. An ordinary regex reads a label
     * value (at most 1 KiB) a few times; Java's engine backtracks, so a silence such as {@code (.*a){12}b} took a minute
     * per alert labelled with 36 a's (more with each one), on the one thread that routes every tenant's alerts. Go's,
     * and so Alertmanager's, engine cannot backtrack; RE2J would be that engine, but refuses some of Java's syntax,
     * which route files and silences already saved may hold.
     */
    static int maxReads(int length) {
        return 4_096 + 64 * length;
    }

    /** A label value that counts the characters a regex reads from it, and stops the match past the bound. */
    private static final class Bounded implements CharSequence {
        static final class TooCostly extends RuntimeException {
            TooCostly() {
                super(null, null, false, false);
            }
        }

        private final String value;
        private final int[] reads; // shared with its subsequences

        Bounded(String value) {
            this(value, new int[]{maxReads(value.length())});
        }

        private Bounded(String value, int[] reads) {
            this.value = value;
            this.reads = reads;
        }

        @Override
        public char charAt(int index) {
            if (--reads[0] < 0) {
                throw new TooCostly();
            }
            return value.charAt(index);
        }

        @Override
        public int length() {
            return value.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Bounded(value.substring(start, end), reads);
        }

        @Override
        public String toString() {
            return value;
        }
    }

    /** Equal when name, operator and value are (java.util.regex.Pattern has no equality of its own). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Matcher m && m.name.equals(name) && m.op == op && m.value.equals(value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, op, value);
    }

    @Override
    public String toString() {
        return name + op.symbol + quote(value);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
