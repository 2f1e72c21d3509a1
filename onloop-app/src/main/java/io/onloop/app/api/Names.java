package io.onloop.app.api;

/** Checks for the short names people give to sources, tokens and users. */
final class Names {
    static final int MAX = 200;

    private Names() {
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badParameter(field, "required");
        }
        String v = value.strip();
        if (v.length() > MAX || v.codePoints().anyMatch(Names::unseen)) {
            throw ApiException.badParameter(field, "at most " + MAX + " characters, no control, invisible or"
                    + " direction-changing characters");
        }
        return v;
    }

    /**
     * Characters that do not show as themselves: controls, line separators, format characters, half an emoji, and code
     * points with no character or a private one (a zero-width space
     * after "tok-admin" makes a name that reads as "tok-admin" in the audit log; a right-to-left override reverses what follows).
     */
    private static boolean unseen(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.UNASSIGNED
                || type == Character.PRIVATE_USE;
    }
}
