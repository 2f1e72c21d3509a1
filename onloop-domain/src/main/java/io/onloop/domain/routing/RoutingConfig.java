package io.onloop.domain.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A tenant's routing: the route tree, its receivers, inhibition rules and named time intervals. */
public record RoutingConfig(Route root, Map<String, Receiver> receivers, List<InhibitRule> inhibitRules,
                            Map<String, TimeInterval> timeIntervals) {

    public RoutingConfig {
        Objects.requireNonNull(root, "root");
        receivers = Map.copyOf(receivers);
        inhibitRules = List.copyOf(inhibitRules);
        timeIntervals = Map.copyOf(timeIntervals);
    }

    /** Until a tenant configures routing: everything to one receiver with no targets, i.e. nowhere. */
    public static RoutingConfig empty() {
        return new RoutingConfig(new Route(Route.ROOT_ID, Route.ROOT_KEY, "default", List.of(), false, List.of(), false,
                Route.DEFAULT_GROUP_WAIT, Route.DEFAULT_GROUP_INTERVAL, Route.DEFAULT_REPEAT_INTERVAL, List.of(),
                List.of(), List.of()), Map.of("default", new Receiver("default", List.of())), List.of(), Map.of());
    }

    public Optional<Route> route(String id) {
        return root.flatten().stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /** The first named interval that holds now and mutes the route, if any. */
    public Optional<String> mutedBy(Route route, java.time.Instant now) {
        for (String name : route.muteTimeIntervals()) {
            TimeInterval ti = timeIntervals.get(name);
            if (ti != null && ti.contains(now)) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** Whether the route is outside all its active intervals (a route without any is always active). */
    public boolean inactive(Route route, java.time.Instant now) {
        if (route.activeTimeIntervals().isEmpty()) {
            return false;
        }
        return route.activeTimeIntervals().stream().map(timeIntervals::get)
                .noneMatch(ti -> ti != null && ti.contains(now));
    }
}
