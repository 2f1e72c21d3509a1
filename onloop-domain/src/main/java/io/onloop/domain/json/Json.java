package io.onloop.domain.json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The little JSON the domain writes itself (change plans, anomaly evidence), by hand because the domain
 * has no JSON library: maps (in their iteration order), lists, strings, whole numbers, booleans and null.
 */
public final class Json {

    private Json() {
    }

    public static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    private static void write(Object value, StringBuilder out) {
        switch (value) {
            case null -> out.append("null");
            case String s -> out.append(string(s));
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case Boolean b -> out.append(b);
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (var e : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    out.append(string((String) e.getKey())).append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            }
            default -> throw new IllegalArgumentException("not written as JSON: " + value.getClass().getName());
        }
    }

    /**
     * A JSON string literal (RFC 8259): quote, backslash and control characters escaped. Also valid as a
     * YAML double-quoted scalar, which is why the YAML writers use it for anything not plainly safe.
     */
    public static String string(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // control characters, the line separators YAML and old JavaScript treat as line ends, and
                    // the HTML specials, so the text stays inert wherever it is pasted
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085'
                            || c == '<' || c == '>' || c == '&') {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
