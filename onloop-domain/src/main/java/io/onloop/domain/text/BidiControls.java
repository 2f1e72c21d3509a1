package io.onloop.domain.text;

import java.util.Locale;

/**
 * Unicode's bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), and the characters that
 * hide or disguise text (directional marks, zero-width characters, the BOM, the soft hyphen, Hangul fillers, tag
 * characters), shown as what they are, {@code [U+202E]}, where people read alert text. Obeyed, the controls reorder
 * what they are shown in, so that a command reads otherwise than what is copied and run ("Trojan Source",
 * CVE-2021-42574); the invisible ones hide text inside a word. Right-to-left text itself needs none of them and is
 * unchanged.
 */
public final class BidiControls {
    private BidiControls() {
    }

    /** The embeddings, overrides and isolates alone. */
    public static boolean isControl(int c) {
        return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
    }

    /** A control, or a character that hides or disguises text: shown by its name. */
    public static boolean isShown(int c) {
        return isControl(c)
                || c == 0x200E || c == 0x200F || c == 0x061C                   // directional marks
                || c >= 0x200B && c <= 0x200D || c == 0x2060 || c == 0xFEFF    // zero-width space, joiners, BOM
                || c == 0x00AD || c == 0x115F || c == 0x1160 || c == 0x3164    // soft hyphen, Hangul fillers
                || c == 0xFFA0                                                 // (halfwidth)
                || c >= 0xE0000 && c <= 0xE007F;                               // tag characters
    }

    /** {@code [U+202E]}, {@code [U+00AD]}, {@code [U+E0041]}. */
    public static String shown(int c) {
        return String.format(Locale.ROOT, "[U+%04X]", c);
    }

    /** The text with every such character shown, not obeyed. */
    public static String shownIn(String text) {
        return shownIn(text, BidiControls::isShown);
    }

    /** The text with every character {@code shown} picks written as {@link #shown}, whole code points at a time. */
    public static String shownIn(String text, java.util.function.IntPredicate shown) {
        if (text == null || text.codePoints().noneMatch(shown)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.codePoints().forEach(c -> {
            if (shown.test(c)) {
                b.append(shown(c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }
}
