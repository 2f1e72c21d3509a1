package io.onloop.app.routing;

import io.onloop.domain.delivery.NotificationTarget;

import java.util.Map;

/** The notification target adapters available, by type id. */
public record TargetCatalog(Map<String, NotificationTarget> targets) {
    public TargetCatalog {
        targets = Map.copyOf(targets);
    }
}
