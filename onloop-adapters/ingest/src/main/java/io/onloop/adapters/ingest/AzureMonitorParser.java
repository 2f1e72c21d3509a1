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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.onloop.adapters.ingest.JsonFields.firstNonBlank;
import static io.onloop.adapters.ingest.JsonFields.ptr;

/**
 * Azure Monitor alerts in the common alert schema
 * (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-common-schema): metric, log
 * (including Log Alerts V2) and activity log alerts.
 */
public final class AzureMonitorParser implements EventParser {
    static final String SCHEMA_ID = "azureMonitorCommonAlertSchema";

    @Override
    public SourceType format() {
        return SourceType.AZURE_MONITOR;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        String schemaId = JsonFields.string(root, "schemaId", "", true);
        if (!schemaId.equals(SCHEMA_ID)) {
            throw new InvalidPayloadException("/schemaId must be " + SCHEMA_ID
                    + " (enable the common alert schema on the action group), got \"" + schemaId + "\"", "/schemaId");
        }
        JsonNode data = JsonFields.object(root, "data", "", true);
        JsonNode e = JsonFields.object(data, "essentials", "/data", true);
        String at = "/data/essentials";
        String alertId = JsonFields.string(e, "alertId", at, true);
        String sev = java.util.Objects.requireNonNullElse(JsonFields.string(e, "severity", at, false), "");
        String condition = firstNonBlank(JsonFields.string(e, "monitorCondition", at, false), "Fired");
        EventStatus status = switch (condition.toLowerCase(Locale.ROOT)) {
            case "fired" -> EventStatus.FIRING;
            case "resolved" -> EventStatus.RESOLVED;
            default -> throw new InvalidPayloadException(at + "/monitorCondition must be Fired or Resolved, got \""
                    + condition + "\"", at + "/monitorCondition");
        };
        List<String> targets = strings(e, "alertTargetIDs", at);
        List<String> items = strings(e, "configurationItems", at);

        Map<String, String> labels = new LinkedHashMap<>();
        JsonFields.put(labels, "alert_rule", JsonFields.string(e, "alertRule", at, false));
        JsonFields.put(labels, "signal_type", JsonFields.string(e, "signalType", at, false));
        JsonFields.put(labels, "monitoring_service", JsonFields.string(e, "monitoringService", at, false));
        JsonFields.put(labels, "configuration_items", String.join(",", items));

        String link = null;
        StringBuilder detail = new StringBuilder();
        JsonNode context = JsonFields.object(data, "alertContext", "/data", false);
        JsonNode cond = context == null ? null : JsonFields.object(context, "condition", "/data/alertContext", false);
        JsonNode allOf = cond == null ? null : JsonFields.array(cond, "allOf", "/data/alertContext/condition", false);
        for (int i = 0; allOf != null && i < allOf.size(); i++) {
            String cat = ptr("/data/alertContext/condition/allOf", i);
            JsonNode c = allOf.get(i);
            if (!c.isObject()) {
                throw new InvalidPayloadException(cat + " must be an object, got " + Json.kind(c), cat);
            }
            String what = firstNonBlank(JsonFields.string(c, "metricName", cat, false), JsonFields.string(c, "searchQuery", cat, false));
            String operator = JsonFields.string(c, "operator", cat, false);
            String threshold = JsonFields.scalar(c, "threshold", cat);
            String value = JsonFields.scalar(c, "metricValue", cat);
            if (i == 0) {
                JsonFields.put(labels, "metric_name", JsonFields.string(c, "metricName", cat, false));
                // the same metric name exists on several services (Availability: Storage and Key Vault)
                JsonFields.put(labels, "metric_namespace", JsonFields.string(c, "metricNamespace", cat, false));
                JsonFields.put(labels, "operator", operator);
                JsonFields.put(labels, "threshold", threshold);
                JsonFields.put(labels, "metric_value", value);
                link = firstNonBlank(JsonFields.string(c, "linkToFilteredSearchResultsUI", cat, false),
                        JsonFields.string(c, "linkToSearchResultsUI", cat, false));
            }
            if (what != null) {
                detail.append(detail.isEmpty() ? "" : "\n").append(what).append(' ').append(firstNonBlank(operator, "?"))
                        .append(' ').append(firstNonBlank(threshold, "?")).append(" (value ").append(firstNonBlank(value, "?")).append(')');
            }
        }
        String description = JsonFields.string(e, "description", at, false);
        String summary = firstNonBlank(description) == null ? detail.toString()
                : description + (detail.isEmpty() ? "" : "\n" + detail);
        String timeField = status == EventStatus.RESOLVED
                && firstNonBlank(JsonFields.string(e, "resolvedDateTime", at, false)) != null ? "resolvedDateTime" : "firedDateTime";
        List<String> warnings = new ArrayList<>();
        Instant time = Json.instant(JsonFields.string(e, timeField, at, false), ptr(at, timeField), warnings);
        Resource resource = targets.isEmpty() ? Resource.UNKNOWN : Resource.of("azure", targets.getFirst().toLowerCase(Locale.ROOT));
        String title = firstNonBlank(JsonFields.string(e, "alertRule", at, false), "Azure Monitor alert");
        return new ParseResult(List.of(new NormalizedAlert(status, severity(sev), sev, title, summary, resource, labels,
                alertId, time, link, root.toString())), 0, warnings, null);
    }

    /** Sev0 is Azure's most severe; anything unrecognised is medium. */
    static Severity severity(String sev) {
        return switch (sev.trim().toLowerCase(Locale.ROOT)) {
            case "sev0" -> Severity.CRITICAL;
            case "sev1" -> Severity.HIGH;
            case "sev2" -> Severity.MEDIUM;
            case "sev3" -> Severity.LOW;
            case "sev4" -> Severity.INFO;
            default -> Severity.MEDIUM;
        };
    }

    private static List<String> strings(JsonNode parent, String field, String at) throws InvalidPayloadException {
        JsonNode arr = JsonFields.array(parent, field, at, false);
        List<String> out = new ArrayList<>();
        for (int i = 0; arr != null && i < arr.size(); i++) {
            if (!arr.get(i).isString()) {
                String p = ptr(ptr(at, field), i);
                throw new InvalidPayloadException(p + " must be a string, got " + Json.kind(arr.get(i)), p);
            }
            out.add(arr.get(i).stringValue());
        }
        return out;
    }
}
