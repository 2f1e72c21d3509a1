package io.onloop.domain.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One node of the route tree, with Alertmanager's semantics. Settings not given in the file are
 * inherited from the parent when the tree is built, so every node here is complete.
 *
 * @param id                  the node's place in the tree ({@code root}, {@code root.0}, {@code root.0.1}): what a
 *                            person finds it by in the file; it changes when a route is inserted above it
 * @param key                 the node's identity for its groups, as Alertmanager keys them: the matchers on the path
 *                            from the root ({@code {}/{team="db"}/{severity="critical"}}), so it stays the same when
 *                            routes are inserted, removed or reordered around it; see {@link #childKey}
 * @param receiver            the receiver notified for alerts that stop at this node
 * @param groupBy             labels whose values form the group; empty means one group for the whole route
 * @param groupByAll          {@code group_by: ['...']}: every label, so each distinct alert is its own group
 * @param cont                {@code continue}: after matching, keep trying the following siblings
 * @param muteTimeIntervals   names of time intervals during which this route sends nothing (maintenance windows)
 * @param activeTimeIntervals names of time intervals outside which this route sends nothing (time-of-day conditions)
 */
public record Route(
        String id,
        String key,
        String receiver,
        List<Matcher> matchers,
        boolean cont,
        List<String> groupBy,
        boolean groupByAll,
        Duration groupWait,
        Duration groupInterval,
        Duration repeatInterval,
        List<String> muteTimeIntervals,
        List<String> activeTimeIntervals,
        List<Route> routes) {

    public static final Duration DEFAULT_GROUP_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_GROUP_INTERVAL = Duration.ofMinutes(5);
    public static final Duration DEFAULT_REPEAT_INTERVAL = Duration.ofHours(4);

    public Route {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(receiver, "receiver");
        matchers = List.copyOf(matchers);
        groupBy = List.copyOf(groupBy);
        Objects.requireNonNull(groupWait, "groupWait");
        Objects.requireNonNull(groupInterval, "groupInterval");
        Objects.requireNonNull(repeatInterval, "repeatInterval");
        muteTimeIntervals = List.copyOf(muteTimeIntervals);
        activeTimeIntervals = List.copyOf(activeTimeIntervals);
        routes = List.copyOf(routes);
    }

    public boolean matchesLabels(Map<String, String> labels) {
        return matchers.stream().allMatch(m -> m.matches(labels));
    }

    /**
     * The nodes an alert stops at, in tree order: depth first, a matching child stops the search
     * among its siblings unless it has {@code continue}; when no child matches, this node itself.
     * The root matches every alert.
     */
    public List<Route> match(Map<String, String> labels) {
        List<Route> out = new ArrayList<>();
        if (id.equals(ROOT_ID) || matchesLabels(labels)) {
            collect(labels, out);
        }
        return out;
    }

    private void collect(Map<String, String> labels, List<Route> out) {
        boolean childMatched = false;
        for (Route child : routes) {
            if (child.matchesLabels(labels)) {
                childMatched = true;
                child.collect(labels, out);
                if (!child.cont) {
                    break;
                }
            }
        }
        if (!childMatched) {
            out.add(this);
        }
    }

    public static final String ROOT_ID = "root";
    public static final String ROOT_KEY = "{}";

    /**
     * A child's {@link #key}: its parent's, then its own matchers. Siblings with the same matchers (a route repeated
     * with other settings, or with {@code continue}) are told apart by {@code #2}, {@code #3}, ... in their order,
     * so only they depend on their place.
     *
     * @param olderSiblings the matchers of the children before it
     */
    public static String childKey(String parentKey, List<Matcher> matchers, List<List<Matcher>> olderSiblings) {
        String key = parentKey + "/{" + String.join(",", matchers.stream().map(Matcher::toString).toList()) + "}";
        long same = olderSiblings.stream().filter(matchers::equals).count();
        return same == 0 ? key : key + "#" + (same + 1);
    }

    /** The group's label values, sorted by name; labels the alert lacks are left out, as in Alertmanager. */
    public Map<String, String> groupLabels(Map<String, String> labels) {
        Map<String, String> out = new TreeMap<>();
        if (groupByAll) {
            out.putAll(labels);
            return out;
        }
        for (String name : groupBy) {
            String v = labels.get(name);
            if (v != null && !v.isEmpty()) {
                out.put(name, v);
            }
        }
        return out;
    }

    /** Every node, this one first, depth first. */
    public List<Route> flatten() {
        List<Route> out = new ArrayList<>();
        out.add(this);
        routes.forEach(r -> out.addAll(r.flatten()));
        return out;
    }
}
