package io.onloop.domain.routing;

import io.onloop.domain.event.Event;

import java.util.HashMap;
import java.util.Map;

/**
 * The label set routes, silences and inhibition rules match against: the event's own labels plus
 * onloop's normalized fields. The normalized fields win over same-named labels, so
 * {@code severity="critical"} means onloop's severity scale whatever the source called it.
 * <ul>
 *   <li>{@code source}: the ingest format ({@code alertmanager}, {@code sns}, ...)</li>
 *   <li>{@code severity}: {@code critical}, {@code high}, {@code medium}, {@code low}, {@code info}</li>
 *   <li>{@code resource}, {@code resource_kind}, {@code resource_name}: the resource's id, kind and name</li>
 *   <li>{@code environment}: the {@code environment} label, else the {@code env} label</li>
 *   <li>{@code alertname}: kept if the source set it, else the event's title</li>
 * </ul>
 */
public final class RoutingLabels {
    public static final String SOURCE = "source";
    public static final String SEVERITY = "severity";
    public static final String RESOURCE = "resource";
    public static final String RESOURCE_KIND = "resource_kind";
    public static final String RESOURCE_NAME = "resource_name";
    public static final String ENVIRONMENT = "environment";
    public static final String ALERTNAME = "alertname";

    private RoutingLabels() {
    }

    public static Map<String, String> of(Event event) {
        Map<String, String> out = new HashMap<>(event.labels());
        out.put(SOURCE, event.source().id());
        out.put(SEVERITY, event.severity().id());
        if (event.resource().isKnown()) {
            out.put(RESOURCE, event.resource().id());
            out.put(RESOURCE_KIND, event.resource().kind());
            out.put(RESOURCE_NAME, event.resource().name());
        }
        String env = event.labels().getOrDefault(ENVIRONMENT, event.labels().get("env"));
        if (env != null) {
            out.put(ENVIRONMENT, env);
        }
        out.putIfAbsent(ALERTNAME, event.title());
        return Map.copyOf(out);
    }
}
