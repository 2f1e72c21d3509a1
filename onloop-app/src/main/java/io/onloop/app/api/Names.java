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
        if (v.length() > MAX || v.chars().anyMatch(Character::isISOControl)) {
            throw ApiException.badParameter(field, "at most " + MAX + " characters, no control characters");
        }
        return v;
    }
}
