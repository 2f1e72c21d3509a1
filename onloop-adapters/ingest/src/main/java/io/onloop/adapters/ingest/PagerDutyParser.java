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
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * PagerDuty Events API v2 alert events ({@code POST /v2/enqueue} bodies), validated as PagerDuty
 * validates them. The {@code routing_key} is a credential: it is never put in labels and is
 * replaced in the stored raw payload. See docs/formats/pagerduty.md.
 */
public final class PagerDutyParser implements EventParser {
    /** PagerDuty rejects longer dedup keys. */
    static final int MAX_DEDUP_KEY = 255;

    @Override
    public SourceType format() {
        return SourceType.PAGERDUTY;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        JsonFields.text(root, "routing_key", ""); // optional here (onloop authenticates the source), but typed
        String action = JsonFields.required(root, "event_action", "");
        EventStatus status = switch (action) {
            case "trigger" -> EventStatus.FIRING;
            case "resolve" -> EventStatus.RESOLVED;
            // an acknowledgement changes no alert state by itself; the label lets the app treat it as an ack
            case "acknowledge" -> EventStatus.INFORMATIONAL;
            default -> throw new InvalidPayloadException("'event_action' must be one of trigger, acknowledge,"
                    + " resolve; got \"" + action + "\"", "/event_action");
        };
        String dedupKey = JsonFields.text(root, "dedup_key", "");
        if (dedupKey != null && dedupKey.length() > MAX_DEDUP_KEY) {
            throw new InvalidPayloadException("'dedup_key' is longer than " + MAX_DEDUP_KEY + " characters",
                    "/dedup_key");
        }
        JsonNode payload = JsonFields.object(root, "payload", "", false);
        if (status == EventStatus.FIRING && payload == null) {
            throw new InvalidPayloadException("missing required field 'payload' (required for trigger)", "/payload");
        }
        if (status != EventStatus.FIRING && dedupKey == null) {
            throw new InvalidPayloadException("missing required field 'dedup_key' (required for " + action + ")",
                    "/dedup_key");
        }

        String summary = JsonFields.text(payload, "summary", "/payload");
        String source = JsonFields.text(payload, "source", "/payload");
        String severityWord = JsonFields.text(payload, "severity", "/payload");
        String component = JsonFields.text(payload, "component", "/payload");
        if (status == EventStatus.FIRING) {
            JsonFields.required(payload, "summary", "/payload");
            JsonFields.required(payload, "source", "/payload");
            JsonFields.required(payload, "severity", "/payload");
        }
        Severity severity = severityWord == null ? Severity.INFO : severity(severityWord);
        // a trigger without dedup_key: PagerDuty would make a random key (a new alert each time);
        // onloop hashes what identifies the problem so a repeated trigger joins the same incident
        String fingerprint = dedupKey != null ? dedupKey : "pd:" + JsonFields.hash(summary, source, component);

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("event_action", action);
        JsonFields.put(labels, "source", source);
        JsonFields.put(labels, "component", component);
        JsonFields.put(labels, "group", JsonFields.text(payload, "group", "/payload"));
        JsonFields.put(labels, "class", JsonFields.text(payload, "class", "/payload"));
        JsonFields.put(labels, "client", JsonFields.text(root, "client", ""));

        String title = summary != null ? summary : action + " " + dedupKey;
        List<String> warnings = new ArrayList<>();
        Instant occurred = Json.instant(isoOffset(JsonFields.text(payload, "timestamp", "/payload")), "/payload/timestamp",
                warnings);
        return new ParseResult(List.of(new NormalizedAlert(status, severity, severityWord, title,
                details(payload), source == null ? Resource.UNKNOWN : Resource.of("host", source), labels,
                fingerprint, occurred, link(root), withoutRoutingKey(root))), 0, warnings, null);
    }

    private static Severity severity(String word) throws InvalidPayloadException {
        return switch (word) {
            case "critical" -> Severity.CRITICAL;
            case "error" -> Severity.HIGH;
            case "warning" -> Severity.MEDIUM;
            case "info" -> Severity.INFO;
            default -> throw new InvalidPayloadException("'severity' must be one of critical, error, warning, info;"
                    + " got \"" + word + "\"", "/payload/severity");
        };
    }

    /** custom_details as "key: value" lines; nested values as their JSON. */
    private static String details(JsonNode payload) {
        JsonNode custom = payload == null ? null : payload.get("custom_details");
        if (custom == null || custom.isNull()) {
            return "";
        }
        if (!custom.isObject()) {
            return custom.isString() ? custom.asString() : custom.toString();
        }
        StringJoiner lines = new StringJoiner("\n");
        for (var e : custom.properties()) {
            JsonNode v = e.getValue();
            lines.add(e.getKey() + ": " + (v.isValueNode() ? v.asString() : v.toString()));
        }
        return lines.toString();
    }

    /** client_url, else the first link's href. */
    private static String link(JsonNode root) throws InvalidPayloadException {
        String client = JsonFields.text(root, "client_url", "");
        JsonNode links = JsonFields.array(root, "links", "", false);
        JsonFields.array(root, "images", "", false);
        if (client != null || links == null || links.isEmpty()) {
            return client;
        }
        JsonNode first = links.get(0);
        if (!first.isObject()) {
            throw new InvalidPayloadException("link must be an object, got " + Json.kind(first), "/links/0");
        }
        return JsonFields.text(first, "href", "/links/0");
    }

    /** PagerDuty's own example writes offsets as +0000; ISO-8601 parsing wants +00:00. */
    private static String isoOffset(String timestamp) {
        return timestamp == null ? null : timestamp.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2");
    }

    private static String withoutRoutingKey(JsonNode root) {
        if (!root.has("routing_key")) {
            return root.toString();
        }
        ObjectNode copy = ((ObjectNode) root).deepCopy();
        copy.put("routing_key", "[REDACTED:routing-key]");
        return copy.toString();
    }
}
