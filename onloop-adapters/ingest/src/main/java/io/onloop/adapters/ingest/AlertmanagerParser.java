package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static io.onloop.adapters.ingest.JsonFields.firstNonBlank;
import static io.onloop.adapters.ingest.JsonFields.ptr;

/**
 * Prometheus Alertmanager webhook, version 4 (https://prometheus.io/docs/alerting/latest/configuration/#webhook_config).
 * Every element of {@code alerts[]} becomes one alert; see docs/formats/alertmanager.md for the mappings.
 */
public final class AlertmanagerParser implements EventParser {

    /** Kubernetes workload labels (kube-state-metrics names) and the Kind each one names, in priority order. */
    private static final List<Map.Entry<String, String>> WORKLOAD_LABELS = List.of(
            Map.entry("pod", "Pod"), Map.entry("deployment", "Deployment"), Map.entry("statefulset", "StatefulSet"),
            Map.entry("daemonset", "DaemonSet"), Map.entry("cronjob", "CronJob"), Map.entry("job_name", "Job"),
            Map.entry("replicaset", "ReplicaSet"), Map.entry("persistentvolumeclaim", "PersistentVolumeClaim"),
            Map.entry("service", "Service"));

    @Override
    public SourceType format() {
        return SourceType.ALERTMANAGER;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        JsonNode alerts = JsonFields.array(root, "alerts", "", true);
        String groupStatus = JsonFields.string(root, "status", "", false);
        List<String> warnings = new ArrayList<>();
        String version = JsonFields.scalar(root, "version", "");
        if (version != null && !version.equals("4")) {
            warnings.add("webhook version " + version + " is not 4; parsed as version 4");
        }
        JsonNode truncated = root.get("truncatedAlerts");
        int truncatedAlerts = 0;
        if (truncated != null && !truncated.isNull()) {
            if (!truncated.isIntegralNumber() || !truncated.canConvertToInt() || truncated.intValue() < 0) {
                throw new InvalidPayloadException("/truncatedAlerts must be a non-negative integer", "/truncatedAlerts");
            }
            truncatedAlerts = truncated.intValue();
        }
        List<NormalizedAlert> out = new ArrayList<>(alerts.size());
        for (int i = 0; i < alerts.size(); i++) {
            out.add(alert(alerts.get(i), ptr("/alerts", i), groupStatus, warnings));
        }
        return new ParseResult(out, truncatedAlerts, warnings, null);
    }

    private static NormalizedAlert alert(JsonNode a, String at, String groupStatus, List<String> warnings) throws InvalidPayloadException {
        if (!a.isObject()) {
            throw new InvalidPayloadException(at + " must be an object, got " + Json.kind(a), at);
        }
        Map<String, String> labels = JsonFields.stringMap(a, "labels", at);
        Map<String, String> annotations = JsonFields.stringMap(a, "annotations", at);
        EventStatus status = status(firstNonBlank(JsonFields.string(a, "status", at, false), groupStatus), at);
        String severityWord = labels.getOrDefault("severity", "");
        String fingerprint = firstNonBlank(JsonFields.string(a, "fingerprint", at, false));
        if (fingerprint == null) {
            fingerprint = fingerprint(labels);
        }
        String alertname = firstNonBlank(labels.get("alertname"), "Alertmanager alert");
        String headline = annotations.get("summary");
        String title = headline == null || headline.isBlank() ? alertname : alertname + ": " + headline;
        String summary = firstNonBlank(annotations.get("description"), annotations.get("message"), headline);
        Instant startsAt = timestamp(JsonFields.string(a, "startsAt", at, false), ptr(at, "startsAt"), warnings);
        Instant endsAt = timestamp(JsonFields.string(a, "endsAt", at, false), ptr(at, "endsAt"), warnings);
        Instant occurred = status == EventStatus.RESOLVED && endsAt != null ? endsAt : startsAt;
        return new NormalizedAlert(status, severity(severityWord), severityWord, title, summary, resource(labels),
                labels, fingerprint, occurred, JsonFields.string(a, "generatorURL", at, false), a.toString());
    }

    private static EventStatus status(String value, String at) throws InvalidPayloadException {
        if (value == null) {
            return EventStatus.FIRING;
        }
        return switch (value) {
            case "firing" -> EventStatus.FIRING;
            case "resolved" -> EventStatus.RESOLVED;
            default -> throw new InvalidPayloadException(
                    at + "/status must be \"firing\" or \"resolved\", got \"" + value + "\"", at + "/status");
        };
    }

    /** Alertmanager sends Go's zero time (year 1) as endsAt of a firing alert: that means "not set". */
    private static Instant timestamp(String value, String pointer, List<String> warnings) {
        Instant t = Json.instant(value, pointer, warnings);
        return t == null || t.isBefore(Instant.EPOCH) ? null : t;
    }

    /** The documented mapping from the conventional {@code severity} label to onloop's scale. */
    static Severity severity(String word) {
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "critical", "crit", "page", "fatal", "emergency", "emerg", "alert", "disaster", "p1" -> Severity.CRITICAL;
            case "error", "err", "high", "major", "p2" -> Severity.HIGH;
            case "warning", "warn", "medium", "moderate", "average", "p3" -> Severity.MEDIUM;
            case "low", "minor", "p4" -> Severity.LOW;
            case "info", "informational", "information", "notice", "debug", "none", "ok", "p5" -> Severity.INFO;
            default -> Severity.MEDIUM;
        };
    }

    /** The resource an alert is about, from its labels: Kubernetes objects first, then the scrape target. */
    static Resource resource(Map<String, String> labels) {
        String namespace = labels.get("namespace");
        for (var workload : WORKLOAD_LABELS) {
            String name = labels.get(workload.getKey());
            if (namespace != null && !namespace.isBlank() && name != null && !name.isBlank()) {
                return new Resource("kubernetes", namespace + "/" + workload.getValue() + "/" + name, name);
            }
        }
        String node = labels.get("node");
        if (node != null && !node.isBlank()) {
            return new Resource("kubernetes", "Node/" + node, node);
        }
        String instance = labels.get("instance");
        if (instance != null && !instance.isBlank()) {
            return Resource.host(instance);
        }
        String job = labels.get("job");
        if (job != null && !job.isBlank()) {
            return new Resource("service", job, job);
        }
        if (namespace != null && !namespace.isBlank()) {
            return new Resource("kubernetes", "Namespace/" + namespace, namespace);
        }
        return Resource.UNKNOWN;
    }

    /**
     * Prometheus {@code model.LabelSet.Fingerprint()}: FNV-1a 64 over the label names and values in
     * name order, each followed by the 0xff separator byte, as 16 lower-case hex digits.
     */
    public static String fingerprint(Map<String, String> labels) {
        long hash = 0xcbf29ce484222325L;
        for (var e : new TreeMap<>(labels).entrySet()) {
            hash = fnv(hash, e.getKey());
            hash = fnv(hash, e.getValue());
        }
        return String.format("%016x", hash);
    }

    private static long fnv(long hash, String s) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xff;
            hash *= 0x100000001b3L;
        }
        hash ^= 0xff;
        return hash * 0x100000001b3L;
    }
}
