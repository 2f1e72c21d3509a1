package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventLimits;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static io.onloop.adapters.ingest.JsonFields.ptr;

/** onloop's own JSON format for anything that can send JSON: see docs/formats/generic.md. */
public final class GenericParser implements EventParser {

    @Override
    public SourceType format() {
        return SourceType.GENERIC;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        List<NormalizedAlert> out = new ArrayList<>();
        if (root.has("events")) {
            JsonNode events = JsonFields.array(root, "events", "", true);
            for (int i = 0; i < events.size(); i++) {
                out.add(event(events.get(i), ptr("/events", i)));
            }
        } else {
            out.add(event(root, ""));
        }
        return ParseResult.of(out);
    }

    private static NormalizedAlert event(JsonNode e, String at) throws InvalidPayloadException {
        if (!e.isObject()) {
            throw new InvalidPayloadException((at.isEmpty() ? "an event" : at) + " must be an object, got " + Json.kind(e), at);
        }
        String title = JsonFields.string(e, "title", at, true);
        String statusText = JsonFields.string(e, "status", at, false);
        EventStatus status = switch (statusText == null ? "firing" : statusText.toLowerCase(Locale.ROOT)) {
            case "firing" -> EventStatus.FIRING;
            case "resolved" -> EventStatus.RESOLVED;
            case "info", "informational" -> EventStatus.INFORMATIONAL;
            default -> throw new InvalidPayloadException(ptr(at, "status") + " must be firing, resolved or info, got \""
                    + statusText + "\"", ptr(at, "status"));
        };
        String severityText = JsonFields.string(e, "severity", at, false);
        Severity severity;
        try {
            severity = severityText == null ? Severity.MEDIUM : Severity.fromId(severityText);
        } catch (IllegalArgumentException ex) {
            throw new InvalidPayloadException(ptr(at, "severity") + " must be critical, high, medium, low or info, got \""
                    + severityText + "\"", ptr(at, "severity"));
        }
        Map<String, String> labels = labels(e, at);
        Resource resource = resource(e, at);
        String fingerprint = JsonFields.string(e, "fingerprint", at, false);
        if (fingerprint == null || fingerprint.isBlank()) {
            StringBuilder basis = new StringBuilder(title).append('\n').append(resource.id());
            new TreeMap<>(labels).forEach((k, v) -> basis.append('\n').append(k).append('=').append(v));
            fingerprint = JsonFields.sha256(basis.toString());
        }
        String occurredText = JsonFields.string(e, "occurredAt", at, false);
        Instant occurred = Json.instant(occurredText);
        if (occurredText != null && occurred == null) {
            throw new InvalidPayloadException(ptr(at, "occurredAt") + " must be an RFC 3339 timestamp", ptr(at, "occurredAt"));
        }
        if (occurred != null && !EventLimits.storable(occurred)) { // other formats' times are the sender's; this one's, the caller's
            throw new InvalidPayloadException(ptr(at, "occurredAt") + " must be within the years 0001 to 9999",
                    ptr(at, "occurredAt"));
        }
        return new NormalizedAlert(status, severity, severityText == null ? "" : severityText, title,
                JsonFields.string(e, "summary", at, false), resource, labels, fingerprint, occurred,
                JsonFields.string(e, "link", at, false), e.toString());
    }

    /** Labels are strings: a generic sender controls its JSON, so other types are a mistake worth reporting. */
    private static Map<String, String> labels(JsonNode e, String at) throws InvalidPayloadException {
        JsonNode obj = JsonFields.object(e, "labels", at, false);
        Map<String, String> out = new TreeMap<>();
        if (obj != null) {
            for (var entry : obj.properties()) {
                if (!entry.getValue().isString()) {
                    String p = ptr(ptr(at, "labels"), entry.getKey());
                    throw new InvalidPayloadException(p + " must be a string, got " + Json.kind(entry.getValue()), p);
                }
                out.put(entry.getKey(), entry.getValue().stringValue());
            }
        }
        return out;
    }

    /** An object {kind, id, name}, or a string whose shape says its kind (ARN, Azure resource ID, else a service). */
    private static Resource resource(JsonNode e, String at) throws InvalidPayloadException {
        JsonNode r = e.get("resource");
        if (r == null || r.isNull()) {
            return Resource.UNKNOWN;
        }
        String rat = ptr(at, "resource");
        if (r.isString()) {
            String id = r.stringValue();
            String kind = id.startsWith("arn:") ? "aws" : id.toLowerCase(Locale.ROOT).startsWith("/subscriptions/") ? "azure" : "service";
            return Resource.of(kind, id);
        }
        if (!r.isObject()) {
            throw new InvalidPayloadException(rat + " must be an object or a string, got " + Json.kind(r), rat);
        }
        String id = JsonFields.string(r, "id", rat, true);
        String kind = JsonFields.string(r, "kind", rat, false);
        String name = JsonFields.string(r, "name", rat, false);
        Resource base = Resource.of(kind == null || kind.isBlank() ? "service" : kind, id);
        return name == null || name.isBlank() ? base : new Resource(base.kind(), base.id(), name);
    }
}
