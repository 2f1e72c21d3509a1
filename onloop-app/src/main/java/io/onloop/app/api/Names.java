package io.onloop.app.api;

import io.onloop.domain.text.ShortNames;

/** Checks for the short names people give to sources, tokens and users. */
final class Names {
    private Names() {
    }

    static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw ApiException.badParameter(field, "required");
        }
        String v = value.strip();
        if (!ShortNames.fits(v)) {
            throw ApiException.badParameter(field, ShortNames.RULE);
        }
        return v;
    }
}
