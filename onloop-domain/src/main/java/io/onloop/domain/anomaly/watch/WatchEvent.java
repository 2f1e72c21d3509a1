package io.onloop.domain.anomaly.watch;

import io.onloop.domain.anomaly.ExhaustionForecaster;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.json.Json;
import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.text.Digests;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Something a watch found in one series, with its evidence; {@link #toAlert()} makes it an alert
 * for the ingest pipeline (source {@code onloop}).
 *
 * @param status     firing when the episode starts, resolved when it ends
 * @param series     the series' labels
 * @param at         the time of the point that decided it
 * @param observed   the value at {@code at}
 * @param expectedLow, expectedHigh the band the recent history makes normal (anomaly); NaN when unknown
 * @param score      the detector's score (anomaly); NaN for exhaustion
 * @param forecast   time to the limit (exhaustion, firing); null otherwise
 * @param limit      the limit (exhaustion); NaN for anomaly
 * @param chart      recent points, downsampled, oldest first
 * @param stopped    why the watcher stopped following the series while the episode was open (resolved, not knowing
 *                   whether it ended: the series is no longer reported, say); null otherwise. {@code at} and
 *                   {@code observed} are then its last point.
 */
public record WatchEvent(Watch watch, EventStatus status, Map<String, String> series, Instant at, double observed,
                         double expectedLow, double expectedHigh, double score,
                         ExhaustionForecaster.Forecast forecast, double limit, List<MetricSeries.Point> chart, String stopped) {

    /** The label naming the watch; {@code alertname} is set to the watch's name too. */
    public static final String WATCH_LABEL = "watch";
    /** {@code anomaly} or {@code exhaustion}. */
    public static final String DETECTOR_LABEL = "detector";
    /** How the title of an episode's resolve begins when the watcher stopped following its series. */
    public static final String NO_LONGER_WATCHED = "No longer watched: ";

    public WatchEvent {
        series = Map.copyOf(series);
        chart = List.copyOf(chart);
    }

    /** An event of an episode the watcher saw start or end. */
    public WatchEvent(Watch watch, EventStatus status, Map<String, String> series, Instant at, double observed,
                      double expectedLow, double expectedHigh, double score,
                      ExhaustionForecaster.Forecast forecast, double limit, List<MetricSeries.Point> chart) {
        this(watch, status, series, at, observed, expectedLow, expectedHigh, score, forecast, limit, chart, null);
    }

    /**
     * The same for every event of this watch and series, so repeats join the open incident and a
     * resolve closes it.
     */
    public String fingerprint() {
        return fingerprint(watch, series);
    }

    /** The fingerprint of every event {@code watch} raises for the series with these labels. */
    public static String fingerprint(Watch watch, Map<String, String> series) {
        String identity = watch.kind().id() + "\n" + watch.name() + "\n" + new TreeMap<>(series).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"));
        return "onloop-" + watch.kind().id() + ":" + Digests.sha256Short(identity);
    }

    /** The series' labels, then the watch's own labels, then {@code alertname}, {@code watch} and {@code detector}. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>(series);
        String metric = labels.remove("__name__");
        if (metric != null) {
            labels.putIfAbsent("metric", metric);
        }
        labels.putAll(watch.labels());
        labels.put("alertname", watch.name());
        labels.put(WATCH_LABEL, watch.name());
        labels.put(DETECTOR_LABEL, watch.kind().id());
        labels.put("severity", severity().id());
        return labels;
    }

    /**
     * The watch's severity; one level higher for an exhaustion a quarter of the horizon or less from its limit, so that
     * a route on {@code severity} can page for what was a warning hours before.
     */
    public Severity severity() {
        boolean near = watch.kind() == Watch.Kind.EXHAUSTION && status == EventStatus.FIRING && forecast != null
                && near(watch, forecast.expected());
        return near ? watch.severity().oneHigher() : watch.severity();
    }

    /** Whether an exhaustion this far from its limit is near it: a quarter of the horizon or less. */
    static boolean near(Watch watch, Duration left) {
        return left.compareTo(watch.horizon().dividedBy(4)) <= 0;
    }

    public NormalizedAlert toAlert() {
        return new NormalizedAlert(status, severity(), severity().id(), title(), summary(),
                resource(series), labels(), fingerprint(), at, null, evidenceJson());
    }

    String title() {
        String where = seriesName();
        if (stopped != null) {
            return NO_LONGER_WATCHED + watch.name() + (where.isEmpty() ? "" : " (" + where + ")");
        }
        if (watch.kind() == Watch.Kind.ANOMALY) {
            return "Anomaly in " + watch.name() + (where.isEmpty() ? "" : " (" + where + ")");
        }
        String suffix = where.isEmpty() ? "" : " (" + where + ")";
        if (status != EventStatus.FIRING) {
            return watch.name() + " no longer heading for its limit" + suffix;
        }
        return forecast.expected().isZero() ? watch.name() + " is at its limit" + suffix
                : watch.name() + " reaches its limit in about " + human(forecast.expected()) + suffix;
    }

    String summary() {
        if (stopped != null) {
            return "The watcher stopped following this series while its " + watch.kind().id() + " was open: " + stopped
                    + ". Whether it ended is not known; the last point was " + number(observed) + " at " + at + ".";
        }
        if (watch.kind() == Watch.Kind.ANOMALY) {
            String band = "expected " + number(expectedLow) + " to " + number(expectedHigh);
            String scored = "anomaly score " + String.format(Locale.ROOT, "%.3f", score);
            boolean inBand = observed >= expectedLow && observed <= expectedHigh;
            if (status == EventStatus.FIRING) {
                // the detectors weigh the shape of the last points too: none of them may be outside the band
                return inBand ? "Observed " + number(observed) + ", within its expected band (" + number(expectedLow) + " to "
                        + number(expectedHigh) + "), but the pattern of its latest points is unlike its history (" + scored + ")."
                        : "Observed " + number(observed) + ", " + band + " (" + scored + ").";
            }
            // an episode also ends when it has lasted long enough to be the series' new normal, still outside the band
            return inBand || !(Double.isFinite(expectedLow) && Double.isFinite(expectedHigh))
                    ? "Back within its expected band: observed " + number(observed) + ", " + band + "."
                    : "Still outside the band it left (observed " + number(observed) + ", " + band + "), but for long "
                            + "enough to be its new normal: the episode ends, and the detector learns the new level.";
        }
        if (status == EventStatus.FIRING && forecast.expected().isZero()) { // as the title has it
            return "At " + number(observed) + " of " + number(limit) + ": the limit is reached.";
        }
        if (status == EventStatus.FIRING) {
            return "At " + number(observed) + " of " + number(limit) + ": the limit is expected in " + human(forecast.expected())
                    + " (between " + human(forecast.earliest()) + " and " + human(forecast.latest()) + "), within the "
                    + human(watch.horizon()) + " horizon.";
        }
        return "At " + number(observed) + " of " + number(limit) + ": the trend no longer reaches the limit within the "
                + human(watch.horizon()) + " horizon.";
    }

    /** The short name of the series: its labels except the metric name and the scrape job. */
    private String seriesName() {
        return new TreeMap<>(series).entrySet().stream()
                .filter(e -> !e.getKey().equals("__name__") && !e.getKey().equals("job"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
    }

    /** The evidence as JSON (the event's raw payload), for people and for the console's chart. */
    String evidenceJson() {
        StringBuilder j = new StringBuilder("{");
        field(j, "kind", "onloop-watch").append(',');
        field(j, "watch", watch.name()).append(',');
        field(j, "detector", watch.kind().id()).append(',');
        field(j, "status", status.id()).append(',');
        if (stopped != null) {
            field(j, "stopped", stopped).append(',');
        }
        field(j, "query", watch.query()).append(',');
        j.append("\"series\":{");
        j.append(new TreeMap<>(series).entrySet().stream().map(e -> Json.string(e.getKey()) + ":" + Json.string(e.getValue()))
                .collect(Collectors.joining(",")));
        j.append("},");
        field(j, "at", at.toString()).append(',');
        j.append("\"observed\":").append(json(observed));
        if (watch.kind() == Watch.Kind.ANOMALY) {
            j.append(",\"expected\":{\"low\":").append(json(expectedLow)).append(",\"high\":").append(json(expectedHigh)).append('}');
            j.append(",\"score\":").append(json(score)).append(",\"threshold\":").append(json(watch.threshold()));
        } else {
            j.append(",\"limit\":").append(json(limit)).append(",\"horizon_seconds\":").append(watch.horizon().toSeconds());
            if (forecast != null) {
                j.append(",\"eta_seconds\":{\"expected\":").append(forecast.expected().toSeconds())
                        .append(",\"earliest\":").append(forecast.earliest().toSeconds())
                        .append(",\"latest\":").append(forecast.latest().toSeconds()).append('}');
            }
        }
        j.append(",\"chart\":[");
        j.append(chart.stream().map(p -> "[" + p.epochMillis() + "," + json(p.value()) + "]").collect(Collectors.joining(",")));
        return j.append("]}").toString();
    }

    /** The time to the limit an exhaustion event's evidence (its raw payload, as written above) says, if any. */
    public static Optional<Duration> etaSaid(String evidence) {
        java.util.regex.Matcher m = ETA_SAID.matcher(evidence);
        return m.find() ? Optional.of(Duration.ofSeconds(Long.parseLong(m.group(1)))) : Optional.empty();
    }

    private static final java.util.regex.Pattern ETA_SAID =
            java.util.regex.Pattern.compile("\"eta_seconds\":\\{\"expected\":(-?\\d{1,15})[,}]");

    /** The resource a series is about, from its labels: a Kubernetes pod, a node, the scrape target, or the job. */
    static Resource resource(Map<String, String> labels) {
        String namespace = labels.get("namespace");
        String pod = labels.get("pod");
        if (namespace != null && !namespace.isBlank() && pod != null && !pod.isBlank()) {
            return new Resource("kubernetes", namespace + "/Pod/" + pod, pod);
        }
        String node = labels.get("node");
        if (node != null && !node.isBlank()) {
            return new Resource("kubernetes", "Node/" + node, node);
        }
        String instance = labels.get("instance");
        if (instance != null && !instance.isBlank()) {
            return Resource.host(instance); // named by its host, not its port, as Alertmanager's alerts are
        }
        String job = labels.get("job");
        return job != null && !job.isBlank() ? new Resource("service", job, job) : Resource.UNKNOWN;
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return Math.round(s / 60.0) + "m";
        }
        if (s < 172_800) {
            return String.format(Locale.ROOT, "%.1fh", s / 3600.0);
        }
        return Math.round(s / 86_400.0) + "d";
    }

    private static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.isNaN(v) ? "unknown" : v > 0 ? "+Inf" : "-Inf";
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static StringBuilder field(StringBuilder j, String name, String value) {
        return j.append(Json.string(name)).append(':').append(Json.string(value));
    }

    private static String json(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    }
