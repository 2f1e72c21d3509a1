package io.onloop.domain.incident;

import java.util.Locale;

/** open → acknowledged → resolved. A resolved incident stays resolved; a new firing opens a new one. */
public enum IncidentStatus {
    OPEN, ACKNOWLEDGED, RESOLVED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IncidentStatus fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
