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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Datadog webhook integration. Datadog's body is whatever template the user sets, so this reads
 * fields named after Datadog's template variables: {@code $ALERT_ID} as {@code alert_id}, and so on
 * (lower case, no {@code $}), plus the fields of Datadog's default payload ({@code id}, {@code title},
 * {@code body}, {@code date}, {@code last_updated}, {@code event_type}, {@code org}). With only the default
 * payload, the transition comes from the title prefix ({@code [Triggered on {host:a}] ...}) and the
 * monitor id from the monitor link in the body. See docs/formats/datadog.md for the recommended template.
 */
public final class DatadogParser implements EventParser {
    /** Leading "[...]" groups of an event title: "[P1] [Triggered on {host:a}] Disk full". */
    private static final Pattern TITLE_PREFIX = Pattern.compile("^\\s*\\[([^\\]]*)\\]\\s*");
    private static final Pattern TRANSITION = Pattern.compile(
            "(?i)^(re-)?(triggered|recovered|warn|no data|renotify)(?: on \\{(.*)\\})?$");
    private static final Pattern MONITOR_LINK = Pattern.compile("/monitors(?:#|/)(\\d+)");

    @Override
    public SourceType format() {
        return SourceType.DATADOG;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        String title = JsonFields.firstNonBlank(JsonFields.text(root, "event_title", ""), JsonFields.text(root, "title", ""));
        String body = JsonFields.firstNonBlank(JsonFields.text(root, "event_msg", ""), JsonFields.text(root, "body", ""));
        String alertId = JsonFields.text(root, "alert_id", "");
        if (title == null && alertId == null) {
            throw new InvalidPayloadException("missing required field 'title' (or 'event_title', or 'alert_id')",
                    "/title");
        }

        // "[P2] [Triggered on {host:a}] CPU high" -> priority P2, transition Triggered, scope host:a, name "CPU high"
        String name = title == null ? "" : title;
        String titleTransition = null;
        String titleScope = null;
        String titlePriority = null;
        // read in place, never copying what is left after each prefix: a title of 262,000 "[P1]" took 12 s of CPU
        Matcher prefix = TITLE_PREFIX.matcher(name);
        int rest = 0;
        while (prefix.region(rest, name.length()).lookingAt()) {
            String group = prefix.group(1).trim();
            Matcher t = TRANSITION.matcher(group);
            if (t.matches()) {
                titleTransition = (t.group(1) == null ? "" : "Re-") + t.group(2);
                titleScope = t.group(3);
            } else if (group.matches("(?i)P[1-5]")) {
                titlePriority = group;
            } else {
                break;
            }
            rest = prefix.end();
        }
        name = name.substring(rest);

        String transition = JsonFields.firstNonBlank(JsonFields.text(root, "alert_transition", ""), titleTransition);
        String alertType = JsonFields.text(root, "alert_type", "");
        String priority = JsonFields.firstNonBlank(JsonFields.text(root, "alert_priority", ""), titlePriority);
        String scope = normalizeScope(JsonFields.firstNonBlank(JsonFields.text(root, "alert_scope", ""), titleScope));
        String hostname = JsonFields.text(root, "hostname", "");
        EventStatus status = status(transition, alertType);

        Map<String, String> labels = new LinkedHashMap<>(tags(root));
        labels.putAll(parseTags(scope));
        String monitorId = alertId != null ? alertId : monitorIdFromBody(body);
        JsonFields.put(labels, "monitor_id", monitorId);
        JsonFields.put(labels, "alert_metric", JsonFields.text(root, "alert_metric", ""));
        JsonFields.put(labels, "alert_transition", transition);

        String aggregKey = JsonFields.text(root, "aggreg_key", "");
        String fingerprint = monitorId != null ? "dd:" + monitorId + ":" + (scope == null ? "*" : scope)
                : aggregKey != null ? "dd:aggreg:" + aggregKey
                : "dd:" + JsonFields.hash(name.trim(), scope);

        String sourceSeverity = JsonFields.firstNonBlank(priority, alertType);
        String summary = JsonFields.firstNonBlank(body, JsonFields.text(root, "alert_status", ""));
        List<String> warnings = new ArrayList<>();
        return new ParseResult(List.of(new NormalizedAlert(status, severity(priority, alertType, transition),
                sourceSeverity, title == null ? JsonFields.text(root, "alert_title", "") : title, summary,
                resource(hostname, scope, labels), labels, fingerprint, date(root, warnings),
                JsonFields.firstNonBlank(JsonFields.text(root, "link", ""), JsonFields.text(root, "url", "")), root.toString())),
                0, warnings, null);
    }

    private static EventStatus status(String transition, String alertType) {
        if (transition != null) {
            String t = transition.toLowerCase(Locale.ROOT).replaceFirst("^re-", "");
            switch (t) {
                case "triggered", "warn", "renotify":
                    return EventStatus.FIRING;
                case "recovered":
                    return EventStatus.RESOLVED;
                default: // "no data" and anything unknown: worth recording, not an incident by itself
                    return EventStatus.INFORMATIONAL;
            }
        }
        if (alertType == null) {
            return EventStatus.INFORMATIONAL;
        }
        return switch (alertType.toLowerCase(Locale.ROOT)) {
            case "error", "warning" -> EventStatus.FIRING;
            case "success" -> EventStatus.RESOLVED;
            default -> EventStatus.INFORMATIONAL;
        };
    }

    /** The monitor's priority when set (P1..P5), else the alert type, else what the transition implies. */
    private static Severity severity(String priority, String alertType, String transition) {
        if (priority != null) {
            Severity s = switch (priority.trim().toUpperCase(Locale.ROOT)) {
                case "P1" -> Severity.CRITICAL;
                case "P2" -> Severity.HIGH;
                case "P3" -> Severity.MEDIUM;
                case "P4" -> Severity.LOW;
                case "P5" -> Severity.INFO;
                default -> null;
            };
            if (s != null) {
                return s;
            }
        }
        if (alertType != null) {
            switch (alertType.toLowerCase(Locale.ROOT)) {
                case "error":
                    return Severity.HIGH;
                case "warning":
                    return Severity.MEDIUM;
                case "info", "success":
                    return Severity.INFO;
                default:
                    break;
            }
        }
        String t = transition == null ? "" : transition.toLowerCase(Locale.ROOT).replaceFirst("^re-", "");
        return switch (t) {
            case "triggered", "renotify" -> Severity.HIGH;
            case "no data" -> Severity.LOW;
            case "recovered" -> Severity.INFO;
            default -> Severity.MEDIUM;
        };
    }

    /** $TAGS as "k:v,k2:v2" or a JSON array of "k:v"; a tag without a colon becomes a label with an empty value. */
    private static Map<String, String> tags(JsonNode root) throws InvalidPayloadException {
        JsonNode tags = root.get("tags");
        if (tags == null || tags.isNull()) {
            return Map.of();
        }
        if (tags.isString()) {
            return parseTags(tags.asString());
        }
        if (!tags.isArray()) {
            throw new InvalidPayloadException("'tags' must be a string or an array, got " + Json.kind(tags), "/tags");
        }
        StringBuilder joined = new StringBuilder();
        for (int i = 0; i < tags.size(); i++) {
            JsonNode t = tags.get(i);
            if (!t.isString()) {
                throw new InvalidPayloadException("tag must be a string, got " + Json.kind(t), JsonFields.ptr("/tags", i));
            }
            joined.append(t.asString()).append(',');
        }
        return parseTags(joined.toString());
    }

    private static Map<String, String> parseTags(String tags) {
        Map<String, String> out = new LinkedHashMap<>();
        if (tags == null) {
            return out;
        }
        for (String tag : tags.split(",")) {
            String t = tag.trim();
            if (t.isEmpty() || t.equals("*")) {
                continue;
            }
            int colon = t.indexOf(':');
            out.put(colon < 0 ? t : t.substring(0, colon), colon < 0 ? "" : t.substring(colon + 1));
        }
        return out;
    }

    /** "role:web, az:us-east-1a" and "az:us-east-1a,role:web" are the same scope. */
    private static String normalizeScope(String scope) {
        if (scope == null) {
            return null;
        }
        String s = Arrays.stream(scope.split(",")).map(String::trim).filter(t -> !t.isEmpty()).sorted()
                .collect(Collectors.joining(","));
        return s.isEmpty() ? null : s;
    }

    private static Resource resource(String hostname, String scope, Map<String, String> labels) {
        String host = JsonFields.firstNonBlank(hostname, labels.get("host"));
        if (host != null) {
            return new Resource("host", host, host);
        }
        return scope == null || scope.equals("*") ? Resource.UNKNOWN : new Resource("service", scope, scope);
    }

    private static String monitorIdFromBody(String body) {
        if (body == null) {
            return null;
        }
        Matcher m = MONITOR_LINK.matcher(body);
        return m.find() ? m.group(1) : null;
    }

    /** $DATE (or $LAST_UPDATED) is epoch milliseconds, as a string or a number. */
    private static Instant date(JsonNode root, List<String> warnings) throws InvalidPayloadException {
        String field = JsonFields.firstNonBlank(JsonFields.text(root, "date", "")) != null ? "date" : "last_updated";
        String v = JsonFields.text(root, field, "");
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return Json.instant(v, "/" + field, warnings);
        }
    }
}
