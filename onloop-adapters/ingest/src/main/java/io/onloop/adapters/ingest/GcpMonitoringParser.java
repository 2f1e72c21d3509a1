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

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static io.onloop.adapters.ingest.JsonFields.firstNonBlank;

/**
 * Google Cloud Monitoring webhook notifications, schema version 1.2
 * (https://cloud.google.com/monitoring/support/notification-options#schema-webhooks).
 */
public final class GcpMonitoringParser implements EventParser {

    @Override
    public SourceType format() {
        return SourceType.GCP_MONITORING;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        List<String> warnings = new java.util.ArrayList<>();
        String version = JsonFields.scalar(root, "version", "");
        if (version != null && !version.equals("1.2")) {
            warnings.add("webhook schema version " + version + " is not 1.2; parsed as 1.2");
        }
        String at = "/incident";
        JsonNode inc = JsonFields.object(root, "incident", "", true);
        String incidentId = JsonFields.string(inc, "incident_id", at, true);
        String state = JsonFields.string(inc, "state", at, true);
        EventStatus status = switch (state.toLowerCase(Locale.ROOT)) {
            case "open" -> EventStatus.FIRING;
            case "closed" -> EventStatus.RESOLVED;
            default -> throw new InvalidPayloadException(at + "/state must be open or closed, got \"" + state + "\"", at + "/state");
        };
        String sev = java.util.Objects.requireNonNullElse(JsonFields.string(inc, "severity", at, false), "");

        Map<String, String> labels = new LinkedHashMap<>();
        String policy = JsonFields.string(inc, "policy_name", at, false);
        String condition = JsonFields.string(inc, "condition_name", at, false);
        JsonFields.put(labels, "policy_name", policy);
        JsonFields.put(labels, "condition_name", condition);
        JsonFields.put(labels, "scoping_project_id", JsonFields.string(inc, "scoping_project_id", at, false));
        JsonFields.put(labels, "threshold_value", JsonFields.scalar(inc, "threshold_value", at));
        JsonFields.put(labels, "observed_value", JsonFields.scalar(inc, "observed_value", at));
        JsonNode metric = JsonFields.object(inc, "metric", at, false);
        if (metric != null) {
            JsonFields.put(labels, "metric_type", JsonFields.string(metric, "type", at + "/metric", false));
            JsonFields.stringMap(metric, "labels", at + "/metric").forEach((k, v) -> JsonFields.put(labels, "metric_" + k, v));
        }
        JsonFields.stringMap(inc, "policy_user_labels", at).forEach((k, v) -> JsonFields.put(labels, "policy_" + k, v));

        Resource resource = resource(inc, at, labels);
        String title = policy == null ? firstNonBlank(condition, "Google Cloud Monitoring incident")
                : condition == null || condition.equals(policy) ? policy : policy + ": " + condition;
        Instant started = epoch(inc, "started_at", at);
        Instant ended = epoch(inc, "ended_at", at);
        Instant occurred = status == EventStatus.RESOLVED && ended != null ? ended : started;
        var alert = new NormalizedAlert(status, severity(sev), sev, title, JsonFields.string(inc, "summary", at, false),
                resource, labels, incidentId, occurred, JsonFields.string(inc, "url", at, false), root.toString());
        return new ParseResult(List.of(alert), 0, warnings, null);
    }

    /** {@code type:project_id=..,k=v,...}: the monitored-resource type and its labels, project first, rest sorted. */
    private static Resource resource(JsonNode inc, String at, Map<String, String> labels) throws InvalidPayloadException {
        JsonNode res = JsonFields.object(inc, "resource", at, false);
        if (res == null) {
            return Resource.UNKNOWN;
        }
        String type = JsonFields.string(res, "type", at + "/resource", false);
        if (type == null || type.isBlank()) {
            return Resource.UNKNOWN;
        }
        Map<String, String> rl = new TreeMap<>(JsonFields.stringMap(res, "labels", at + "/resource"));
        JsonFields.put(labels, "resource_type", type);
        // zone, namespace_name, pod_name, subscription_id...: what runbooks and routes need by name
        rl.forEach((k, v) -> JsonFields.put(labels, "resource_" + k, v));
        StringBuilder id = new StringBuilder(type).append(':');
        String project = rl.remove("project_id");
        if (project != null) {
            id.append("project_id=").append(project);
        }
        rl.forEach((k, v) -> id.append(id.charAt(id.length() - 1) == ':' ? "" : ",").append(k).append('=').append(v));
        String name = firstNonBlank(JsonFields.string(inc, "resource_display_name", at, false),
                rl.get("instance_id"), rl.get("instance_name"), rl.get("cluster_name"), rl.get("service_name"),
                rl.get("subscription_id"), rl.get("topic_id"), rl.get("function_name"), rl.get("database_id"), project, type);
        return new Resource("gcp", id.toString(), name);
    }

    private static Instant epoch(JsonNode inc, String field, String at) throws InvalidPayloadException {
        JsonNode v = inc.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber() || !v.canConvertToLong()) {
            throw new InvalidPayloadException(JsonFields.ptr(at, field) + " must be epoch seconds, got " + Json.kind(v),
                    JsonFields.ptr(at, field));
        }
        long s = v.longValue();
        return s <= 0 || s > 253_402_300_799L ? null : Instant.ofEpochSecond(s);
    }

    /** Alert policy severity levels; "No severity" and anything else is medium. */
    static Severity severity(String sev) {
        return switch (sev.trim().toLowerCase(Locale.ROOT)) {
            case "critical" -> Severity.CRITICAL;
            case "error" -> Severity.HIGH;
            case "warning" -> Severity.MEDIUM;
            default -> Severity.MEDIUM;
        };
    }
}
