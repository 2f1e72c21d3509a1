package io.onloop.domain.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Size bounds for untrusted event text. Oversized values are cut and marked, never rejected:
 * an alert with a huge description is still an alert someone must see.
 */
public record EventLimits(int title, int summary, int labelName, int labelValue, int labelCount, int rawPayload,
                          int fingerprint, int link) {

    public static final EventLimits DEFAULT = new EventLimits(512, 8 * 1024, 256, 1024, 128, 64 * 1024, 512, 2048);
    public static final String MARKER = "…[truncated]";
    /** Times every supported database stores (PostgreSQL's timestamptz ends in year 294276, ISO-8601 parsing does not). */
    public static final Instant EARLIEST_TIME = Instant.parse("0001-01-01T00:00:00Z");
    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59.999999Z");

    public static boolean storable(Instant t) {
        return !t.isBefore(EARLIEST_TIME) && !t.isAfter(LATEST_TIME);
    }

    /** Cuts {@code value} to at most {@code max} characters, ending with {@link #MARKER} if cut. */
    public static String truncate(String value, int max) {
        return truncate(value, max, MARKER);
    }

    /** Cuts {@code value} to at most {@code max} characters, ending with {@code marker} if cut. */
    public static String truncate(String value, int max, String marker) {
        if (value == null || value.length() <= max) {
            return value;
        }
        boolean marked = max >= marker.length(); // a limit shorter than the marker gets a bare cut
        int keep = marked ? max - marker.length() : Math.max(0, max);
        if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--; // never split a surrogate pair
        }
        return value.substring(0, keep) + (marked ? marker : "");
    }

    /**
     * The labels, each name and value cut to its bound. Over {@code labelCount} labels, the ones alerts are commonly
     * named, routed, grouped and silenced by ({@link #KEPT_FIRST}) are kept first, then the others in the order of
     * their names, so which labels survive never depends on the order a sender (or a hash map) gave them in.
     */
    public Map<String, String> bound(Map<String, String> labels) {
        Iterable<String> names = labels.keySet();
        if (labels.size() > labelCount) {
            List<String> chosen = new ArrayList<>();
            KEPT_FIRST.stream().filter(labels::containsKey).forEach(chosen::add);
            labels.keySet().stream().filter(n -> !KEPT_FIRST.contains(n)).sorted().forEach(chosen::add);
            names = chosen;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : names) {
            if (out.size() == labelCount) {
                out.put("onloop_truncated_labels", String.valueOf(labels.size() - labelCount));
                break;
            }
            String value = labels.get(name);
            out.put(truncate(name, labelName), truncate(value == null ? "" : value, labelValue));
        }
        return out;
    }

    /** Kept first when an event has more labels than it may keep: Alertmanager's and Kubernetes' usual names. */
    static final List<String> KEPT_FIRST = List.of("alertname", "severity", "priority", "team", "owner", "service",
            "app", "job", "instance", "env", "environment", "cluster", "region", "zone", "namespace", "node", "host",
            "pod", "container", "deployment", "statefulset", "daemonset");
}
