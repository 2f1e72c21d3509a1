package io.onloop.domain.access;

import java.util.Locale;

/** Roles in rising order of power; each role can do everything the ones before it can. */
public enum Role {
    /** Reads events, incidents and configuration. */
    VIEWER,
    /** Also acknowledges, resolves and comments on incidents. */
    RESPONDER,
    /** Also approves changes the autopilot proposes. */
    APPROVER,
    /** Also manages users, tokens, sources and configuration. */
    ADMIN;

    public boolean includes(Role other) {
        return ordinal() >= other.ordinal();
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
