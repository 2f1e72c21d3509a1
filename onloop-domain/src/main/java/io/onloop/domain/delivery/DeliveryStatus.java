package io.onloop.domain.delivery;

import java.util.Locale;

/** PENDING (waiting for its next attempt), DELIVERED, or DEAD (out of attempts or refused for good). */
public enum DeliveryStatus {
    PENDING, DELIVERED, DEAD;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus fromId(String id) {
        return valueOf(id.trim().toUpperCase(Locale.ROOT));
    }
}
