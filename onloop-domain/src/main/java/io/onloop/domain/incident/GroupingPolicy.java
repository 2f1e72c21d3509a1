package io.onloop.domain.incident;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How events become incidents, after Alertmanager's aggregation groups.
 * Events with the same fingerprint always share an open incident. With {@code groupBy} labels,
 * an alert with a new fingerprint joins the open incident whose group-by label values equal its
 * own, if that incident saw an event within {@code groupWindow}.
 * {@code groupWait} and {@code groupInterval} keep Alertmanager's meaning for notifications:
 * how long a new group waits before its first notification, and before one about added alerts.
 */
public record GroupingPolicy(List<String> groupBy, Duration groupWindow, Duration groupWait, Duration groupInterval) {

    public static final GroupingPolicy FINGERPRINT_ONLY =
            new GroupingPolicy(List.of(), Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofMinutes(5));

    public GroupingPolicy {
        groupBy = List.copyOf(groupBy);
    }

    /** The group key for these labels, or null when not grouped beyond the fingerprint. */
    public String groupKey(Map<String, String> labels) {
        // An alert with none of the labels has nothing in common with the others that lack them: alone, not one
        // incident of every such alert (Alertmanager would group those into one notification)
        if (groupBy.stream().allMatch(name -> labels.getOrDefault(name, "").isEmpty())) {
            return null;
        }
        // Like Alertmanager, a missing label counts as the empty value; sorted so order never matters.
        return groupBy.stream().sorted()
                .map(name -> name + "=" + quote(labels.getOrDefault(name, "")))
                .collect(Collectors.joining(",", "{", "}"));
    }

    public Map<String, String> groupLabels(Map<String, String> labels) {
        return groupBy.stream().filter(labels::containsKey)
                .collect(Collectors.toMap(n -> n, labels::get, (a, b) -> a, TreeMap::new));
    }

    private static String quote(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
