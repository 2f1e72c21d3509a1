package io.onloop.domain.text;

import java.util.Locale;

/**
 * Unicode's bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), shown as what they are,
 * {@code [U+202E]}, where people read alert text. Obeyed, they reorder what they are shown in, so that a command reads
 * otherwise than what is copied and run ("Trojan Source", CVE-2021-42574). Right-to-left text itself needs none of
 * them and is unchanged.
 */
public final class BidiControls {
    private BidiControls() {
    }

    public static boolean isControl(int c) {
        return c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069;
    }

    public static String shown(int c) {
        return "[U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + "]";
    }

    /** The text with every control shown, not obeyed. */
    public static String shownIn(String text) {
        if (text == null || text.chars().noneMatch(BidiControls::isControl)) {
            return text;
        }
        StringBuilder b = new StringBuilder(text.length() + 16);
        text.chars().forEach(c -> {
            if (isControl(c)) {
                b.append(shown(c));
            } else {
                b.append((char) c);
            }
        });
        return b.toString();
    }
}
