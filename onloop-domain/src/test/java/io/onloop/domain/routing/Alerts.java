package io.onloop.domain.routing;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Events and routes for routing tests. */
final class Alerts {
    static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z"); // a Monday

    private Alerts() {
    }

    static Event firing(String fingerprint, Severity severity, Map<String, String> labels, Instant at) {
        return event(fingerprint, EventStatus.FIRING, severity, labels, at);
    }

    static Event resolved(String fingerprint, Severity severity, Map<String, String> labels, Instant at) {
        return event(fingerprint, EventStatus.RESOLVED, severity, labels, at);
    }

    static Event event(String fingerprint, EventStatus status, Severity severity, Map<String, String> labels,
                       Instant at) {
        return event("t1", fingerprint, status, severity, labels, at);
    }

    static Event event(String tenant, String fingerprint, EventStatus status, Severity severity,
                       Map<String, String> labels, Instant at) {
        return new Event(UUID.randomUUID(), tenant, null, SourceType.ALERTMANAGER, at, at, status, severity, "",
                labels.getOrDefault("alertname", "alert " + fingerprint), "", Resource.of("host",
                labels.getOrDefault("instance", "")), labels, fingerprint, "", "", UUID.randomUUID());
    }

    /** A route whose key is the root's, for {@code root}, else a child of the root's with these matchers. */
    static Route route(String id, String receiver, List<Matcher> matchers, boolean cont, List<String> groupBy,
                       List<Route> children) {
        String key = id.equals(Route.ROOT_ID) ? Route.ROOT_KEY : Route.childKey(Route.ROOT_KEY, matchers, List.of());
        return new Route(id, key, receiver, matchers, cont, groupBy, false, Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofHours(4), List.of(), List.of(), children);
    }
}
