package io.onloop.domain.text;

/** The rule for the short names people give to sources, tokens and users, wherever they are given. */
public final class ShortNames {
    public static final int MAX = 200;
    public static final String RULE = "1 to " + MAX + " characters, no control, invisible or direction-changing characters";

    private ShortNames() {
    }

    /** Whether a name, already stripped of surrounding white space, follows the {@link #RULE}. */
    public static boolean fits(String name) {
        return !name.isEmpty() && name.length() <= MAX && name.codePoints().noneMatch(ShortNames::unseen);
    }

    /**
     * Characters that do not show as themselves: controls, line separators, format characters, half an emoji, code
     * points with no character or a private one, and those {@link BidiControls#isShown} (a zero-width space or a
     * Hangul filler after "tok-admin" makes a name that reads as "tok-admin" in the audit log; a right-to-left
     * override reverses what follows).
     */
    private static boolean unseen(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE || BidiControls.isShown(c);
    }
}
