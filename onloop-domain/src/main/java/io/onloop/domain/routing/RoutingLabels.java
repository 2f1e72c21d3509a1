package io.onloop.domain.routing;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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

    /** Values an alert name could have, for {@link #matchEveryAlert}: an alert always has one, never empty. */
    private static final List<String> ALERTNAME_PROBES = List.of("a", "Z", "0", "-", "_", "HighLatency", "disk full",
            "KubePodCrashLooping", "Ünïcödé 警报", "x".repeat(300));

    /**
     * Whether these matchers (all of which must match) hold every alert: each matches every value its label can
     * have. {@code severity} and {@code source} always have one of their few values and {@code alertname} a
     * non-empty one (tried on a spread of names, so {@code alertname!=""} and {@code alertname=~".+"} count);
     * any other label may be absent, and a matcher that matches its absence ({@code instance!="x"}) matches
     * nearly every alert.
     */
    public static boolean matchEveryAlert(Collection<Matcher> matchers) {
        return matchers.stream().allMatch(m -> switch (m.name()) {
            case SEVERITY -> Arrays.stream(Severity.values()).allMatch(v -> m.matches(Map.of(SEVERITY, v.id())));
            case SOURCE -> Arrays.stream(SourceType.values()).allMatch(v -> m.matches(Map.of(SOURCE, v.id())));
            case ALERTNAME -> ALERTNAME_PROBES.stream().allMatch(v -> m.matches(Map.of(ALERTNAME, v)));
            default -> m.matches(Map.of());
        });
    }

    /**
     * Whether no matcher needs its label to have a value: each also matches an alert without that label, as
     * {@code severity!="info"} or {@code team!~"db"} do. Alertmanager refuses such silences, since they hold nearly
     * everything (here {@code severity!="info"} would silence every page); one matcher that needs a value is enough.
     */
    public static boolean needNoValue(Collection<Matcher> matchers) {
        return matchers.stream().allMatch(m -> m.matches(Map.of()));
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
