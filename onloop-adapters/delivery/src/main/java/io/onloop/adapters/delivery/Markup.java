package io.onloop.adapters.delivery;

import io.onloop.domain.text.BidiControls;

/**
 * Escaping of untrusted alert text for each target's markup, so a title like
 * {@code <!channel> <https://evil|here>} is shown as typed and never pings or links (Slack's mrkdwn has no escape
 * for {@code *bold*} and the like, so there such text may still be formatted). Unicode's
 * bidirectional controls are shown as {@code [U+202E]}, never obeyed, so no text reads otherwise than it is.
 */
public final class Markup {
    private Markup() {
    }

    /**
     * Slack mrkdwn: Slack's own rule is to escape &amp;, &lt; and &gt;; without them no mention or link can form (the
     * text objects are also {@code verbatim}, so Slack does not link bare URLs or names itself).
     */
    public static String slack(String s) {
        return slack(s, Integer.MAX_VALUE);
    }

    /** Slack mrkdwn of at most {@code max} characters as sent: Slack counts its limits (150 for a header) on it. */
    public static String slack(String s, int max) {
        return escaped(s, max, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            default -> null;
        });
    }

    public static String html(String s) {
        return escaped(s, Integer.MAX_VALUE, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        });
    }

    /**
     * Adaptive Card TextBlocks render a Markdown subset: every character that could start formatting,
     * a link or a list is backslash-escaped.
     */
    public static String adaptiveCard(String s) {
        return adaptiveCard(s, Integer.MAX_VALUE);
    }

    /** Adaptive Card text of at most {@code max} characters as sent (escaping can double it). */
    public static String adaptiveCard(String s, int max) {
        return escaped(s, max, c -> CARD_MARKDOWN.indexOf(c) >= 0 ? "\\" + Character.toString(c) : null);
    }

    /** What an Adaptive Card TextBlock's Markdown subset could read as formatting, a link or a list. */
    private static final String CARD_MARKDOWN = "\\`*_{}[]()#+-.!<>~|";

    /**
     * The text with bidi controls shown and each character escaped ({@code escape} gives its escape, or null for the
     * character itself), at most {@code max} characters: cut after escaping, between whole escapes, and marked.
     */
    private static String escaped(String s, int max, java.util.function.IntFunction<String> escape) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        int fits = 0; // the longest whole-escape prefix that leaves room for the mark
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            if (BidiControls.isShown(c)) { // its name, escaped, is one whole: a cut never leaves half of "[U+202E]"
                BidiControls.shown(c).codePoints().forEach(n -> append(b, n, escape));
            } else {
                append(b, c, escape);
            }
            i += Character.charCount(c);
            if (b.length() <= max - 1) {
                fits = b.length();
            } else if (b.length() > max) {
                return b.substring(0, fits) + "…";
            }
        }
        return b.toString();
    }

    private static void append(StringBuilder b, int c, java.util.function.IntFunction<String> escape) {
        String e = escape.apply(c);
        if (e != null) {
            b.append(e);
        } else {
            b.appendCodePoint(c);
        }
    }

    /** Cuts to at most {@code max} characters (never inside a surrogate pair), marking the cut. */
    public static String clip(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
