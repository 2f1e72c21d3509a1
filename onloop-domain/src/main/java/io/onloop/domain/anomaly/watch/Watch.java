package io.onloop.domain.anomaly.watch;

import io.onloop.domain.event.Severity;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One configured query onloop watches. Every series the query returns is watched on its own.
 *
 * @param name       names the watch in events (label {@code watch}, and {@code alertname})
 * @param query      the query, in the backend's language (PromQL)
 * @param step       the resolution the query is evaluated at
 * @param kind       what to look for
 * @param severity   the severity of the events it raises
 * @param threshold  {@link Kind#ANOMALY}: the detector score (0..1) at which an anomaly is raised
 * @param limit      {@link Kind#EXHAUSTION}: the value at which the resource is exhausted; null when {@code limitQuery} gives it
 * @param limitQuery {@link Kind#EXHAUSTION}: a query giving the limit per series (matched on labels, or one series for all)
 * @param horizon    {@link Kind#EXHAUSTION}: raise an event when the expected time to the limit is under this
 * @param labels     added to every event (e.g. {@code team}), for routes and runbooks to match
 */
public record Watch(String name, String query, Duration step, Kind kind, Severity severity, double threshold,
                    Double limit, String limitQuery, Duration horizon, Map<String, String> labels) {

    public enum Kind {
        /** The series behaves unlike itself (a detector per series scores every point). */
        ANOMALY,
        /** The series trends towards a limit (a forecast of the time left). */
        EXHAUSTION;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Watch {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a watch needs a name");
        }
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("watch " + name + " needs a query");
        }
        Objects.requireNonNull(step, "step");
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("watch " + name + ": step must be positive");
        }
        Objects.requireNonNull(kind, "kind");
        severity = Objects.requireNonNullElse(severity, Severity.MEDIUM);
        if (kind == Kind.ANOMALY && !(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("watch " + name + ": threshold must be in (0, 1]");
        }
        if (kind == Kind.EXHAUSTION) {
            if ((limit == null) == (limitQuery == null || limitQuery.isBlank())) {
                throw new IllegalArgumentException("watch " + name + ": give either limit or limit-query");
            }
            if (limit != null && !(Double.isFinite(limit) && limit > 0)) {
                throw new IllegalArgumentException("watch " + name + ": limit must be a positive number");
            }
            if (horizon == null || horizon.isZero() || horizon.isNegative()) {
                throw new IllegalArgumentException("watch " + name + ": horizon must be positive");
            }
        }
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    public static Watch anomaly(String name, String query, Duration step) {
        return new Watch(name, query, step, Kind.ANOMALY, Severity.MEDIUM, DEFAULT_THRESHOLD, null, null, null, Map.of());
    }

    public static Watch exhaustion(String name, String query, Duration step, double limit, Duration horizon) {
        return new Watch(name, query, step, Kind.EXHAUSTION, Severity.HIGH, DEFAULT_THRESHOLD, limit, null, horizon, Map.of());
    }

    /** The score at which the default detector raises its own alarm. */
    public static final double DEFAULT_THRESHOLD = 0.5;
}
