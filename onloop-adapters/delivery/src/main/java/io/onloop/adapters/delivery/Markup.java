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
        return BidiControls.shownIn(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /**
     * Slack mrkdwn of at most {@code max} characters as sent, since Slack counts its limits (150 for a header) on the
     * escaped text: cut between whole escapes, never inside {@code &amp;}, and marked.
     */
    public static String slack(String s, int max) {
        String escaped = slack(s);
        if (escaped.length() <= max) {
            return escaped;
        }
        String shown = BidiControls.shownIn(s);
        StringBuilder b = new StringBuilder(max);
        for (int i = 0; i < shown.length(); ) {
            int c = shown.codePointAt(i);
            String piece = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                default -> Character.toString(c);
            };
            if (b.length() + piece.length() > max - 1) {
                break;
            }
            b.append(piece);
            i += Character.charCount(c);
        }
        return b.append('…').toString();
    }

    public static String html(String s) {
        s = BidiControls.shownIn(s);
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * Adaptive Card TextBlocks render a Markdown subset: every character that could start formatting,
     * a link or a list is backslash-escaped.
     */
    public static String adaptiveCard(String s) {
        return adaptiveCard(s, Integer.MAX_VALUE);
    }

    /**
     * Adaptive Card text of at most {@code max} characters as sent: escaping can double the text and a bidi control
     * becomes {@code \[U\+202E\]}, so it is cut after escaping, between whole escapes, and marked.
     */
    public static String adaptiveCard(String s, int max) {
        String shown = BidiControls.shownIn(s);
        StringBuilder b = new StringBuilder(shown.length() + 16);
        int fits = -1; // the length of the longest whole-escape prefix that leaves room for the mark
        for (int i = 0; i < shown.length(); ) {
            int c = shown.codePointAt(i);
            if (CARD_MARKDOWN.indexOf(c) >= 0) {
                b.append('\\');
            }
            b.appendCodePoint(c);
            i += Character.charCount(c);
            if (b.length() <= max - 1) {
                fits = b.length();
            } else if (b.length() > max) {
                return b.substring(0, Math.max(fits, 0)) + "…";
            }
        }
        return b.toString();
    }

    /** What an Adaptive Card TextBlock's Markdown subset could read as formatting, a link or a list. */
    private static final String CARD_MARKDOWN = "\\`*_{}[]()#+-.!<>~|";

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
