package io.onloop.domain.event;

import java.util.Locale;

/** onloop's one severity scale; every source's own scale maps onto it (see docs/event-model.md). */
public enum Severity {
    CRITICAL, HIGH, MEDIUM, LOW, INFO;

    /** Higher rank means more severe: CRITICAL=4 ... INFO=0. */
    public int rank() {
        return values().length - 1 - ordinal();
    }

    /** The next more severe level; critical stays critical. */
    public Severity oneHigher() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() - 1];
    }

    public static Severity max(Severity a, Severity b) {
        return a.rank() >= b.rank() ? a : b;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Severity fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
