package io.onloop.domain.event;

import java.util.Locale;

/** Whether an event reports a problem starting/continuing, ending, or just something that happened. */
public enum EventStatus {
    FIRING, RESOLVED, INFORMATIONAL;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EventStatus fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
