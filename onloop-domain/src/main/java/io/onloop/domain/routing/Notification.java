package io.onloop.domain.routing;

import io.onloop.domain.event.Severity;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * What one group has to say at one flush, for one receiver. A group's notifications share a
 * {@link #threadKey} for as long as the group lives (until all its alerts resolved and that was
 * said): targets update the message, ticket or page with that key instead of opening a new one.
 *
 * @param routeKey the group's route's {@link Route#key}
 * @param sequence 1 for the group's first notification, then 2, 3, ...; {@code threadKey#sequence}
 *                 names this notification for idempotent delivery
 * @param runbook  the runbook summary for the group's incident(s), or empty
 */
public record Notification(String tenantId, String receiver, String routeKey, Map<String, String> groupLabels,
                           String threadKey, int sequence, Status status, List<AlertSnapshot> firing,
                           List<AlertSnapshot> resolved, Instant at, String runbook) {

    public enum Status { FIRING, RESOLVED }

    public Notification {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(receiver, "receiver");
        groupLabels = Map.copyOf(groupLabels);
        Objects.requireNonNull(threadKey, "threadKey");
        firing = List.copyOf(firing);
        resolved = List.copyOf(resolved);
        runbook = Objects.requireNonNullElse(runbook, "");
    }

    /** The group's identity, as {@link Dispatcher} keys it: route, receiver and group label values. */
    public static String groupKey(String routeKey, String receiver, Map<String, String> groupLabels) {
        return routeKey + "|" + receiver + "|" + new java.util.TreeMap<>(groupLabels);
    }

    public String groupKey() {
        return groupKey(routeKey, receiver, groupLabels);
    }

    /** What this notification says about its group, for the {@link GroupLog}. */
    public GroupLog.Entry logEntry() {
        return new GroupLog.Entry(tenantId, groupKey(), threadKey, sequence,
                firing.stream().map(AlertSnapshot::fingerprint).collect(java.util.stream.Collectors.toSet()), at,
                status == Status.RESOLVED);
    }

    public String dedupKey() {
        return threadKey + "#" + sequence;
    }

    public boolean isFirst() {
        return sequence == 1;
    }

    public Severity severity() {
        List<AlertSnapshot> alerts = firing.isEmpty() ? resolved : firing;
        return alerts.stream().map(AlertSnapshot::severity).reduce(Severity.INFO, Severity::max);
    }

    /** A one-line title: the first firing alert's title and how many more there are. */
    public String title() {
        List<AlertSnapshot> alerts = firing.isEmpty() ? resolved : firing;
        if (alerts.isEmpty()) {
            return "";
        }
        String first = alerts.getFirst().title();
        return alerts.size() == 1 ? first : first + " (+" + (alerts.size() - 1) + " more)";
    }

    public Set<UUID> incidentIds() {
        Set<UUID> ids = new LinkedHashSet<>();
        firing.forEach(a -> add(ids, a.incidentId()));
        resolved.forEach(a -> add(ids, a.incidentId()));
        return ids;
    }

    private static void add(Set<UUID> ids, UUID id) {
        if (id != null) {
            ids.add(id);
        }
    }

    public Notification withRunbook(String text) {
        return new Notification(tenantId, receiver, routeKey, groupLabels, threadKey, sequence, status, firing, resolved,
                at, text);
    }
}
