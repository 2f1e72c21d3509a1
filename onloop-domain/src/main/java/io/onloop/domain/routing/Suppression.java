package io.onloop.domain.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Why an alert is not notified on a route right now.
 *
 * @param kind   what suppressed it
 * @param ref    the silence id, the inhibiting alert's fingerprint, or the time interval's name
 * @param reason a sentence for people
 */
public record Suppression(Kind kind, String ref, String reason) {

    /** {@code NOTHING_TO_RESOLVE}: a dry run's resolve of an alert that is not firing, which no group announced. */
    public enum Kind { SILENCE, INHIBITION, MAINTENANCE_WINDOW, OUTSIDE_ACTIVE_TIME, NOTHING_TO_RESOLVE }

    /**
     * The first reason the alert with {@code labels} is suppressed on {@code route}, checked in
     * Alertmanager's order: route time intervals, inhibition, silences.
     *
     * @param firing the tenant's firing alerts: fingerprint to routing labels (inhibition sources)
     */
    public static Optional<Suppression> check(RoutingConfig config, List<Silence> silences,
                                              Map<String, Map<String, String>> firing, String fingerprint,
                                              Map<String, String> labels, Route route, Instant now) {
        Optional<String> muted = config.mutedBy(route, now);
        if (muted.isPresent()) {
            return Optional.of(new Suppression(Kind.MAINTENANCE_WINDOW, muted.get(),
                    "route " + route.id() + " is muted during time interval " + muted.get()));
        }
        if (config.inactive(route, now)) {
            return Optional.of(new Suppression(Kind.OUTSIDE_ACTIVE_TIME, String.join(",", route.activeTimeIntervals()),
                    "route " + route.id() + " is active only during " + route.activeTimeIntervals()));
        }
        for (InhibitRule rule : config.inhibitRules()) {
            if (!rule.isTarget(labels)) {
                continue;
            }
            for (Map.Entry<String, Map<String, String>> source : firing.entrySet()) {
                if (!source.getKey().equals(fingerprint) && rule.inhibits(source.getValue(), labels)) {
                    return Optional.of(new Suppression(Kind.INHIBITION, source.getKey(),
                            "inhibited by firing alert " + source.getValue().getOrDefault(RoutingLabels.ALERTNAME, "")
                                    + " (" + source.getKey() + ") with equal " + rule.equal()));
                }
            }
        }
        for (Silence s : silences) {
            if (s.mutes(labels, now)) {
                return Optional.of(new Suppression(Kind.SILENCE, s.id().toString(),
                        "silenced by " + s.createdBy() + " until " + s.endsAt() + ": " + s.comment()));
            }
        }
        return Optional.empty();
    }
}
