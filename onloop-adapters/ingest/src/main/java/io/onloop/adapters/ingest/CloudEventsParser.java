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
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * CloudEvents 1.0 over HTTP: structured mode ({@code application/cloudevents+json}, one event),
 * batch mode ({@code application/cloudevents-batch+json}, an array) and binary mode ({@code ce-*}
 * headers, the body is the data). An event fires unless its status says resolved, or it is
 * explicitly informational. See docs/formats/cloudevents.md.
 */
public final class CloudEventsParser implements EventParser {
    private static final Set<String> CONTEXT_ATTRIBUTES = Set.of("specversion", "id", "source", "type",
            "datacontenttype", "dataschema", "subject", "time", "data", "data_base64");

    @Override
    public SourceType format() {
        return SourceType.CLOUDEVENTS;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        if (request.header("ce-specversion").isPresent()) {
            JsonNode e = binary(request);
            return ParseResult.of(List.of(event(e, ""))).withDeliveryId(deliveryId(e));
        }
        JsonNode root = Json.tree(request.body());
        if (root.isArray()) {
            List<NormalizedAlert> out = new ArrayList<>(root.size());
            for (int i = 0; i < root.size(); i++) {
                out.add(event(root.get(i), JsonFields.ptr("", i)));
            }
            return ParseResult.of(out);
        }
        if (!root.isObject()) {
            throw new InvalidPayloadException("expected a CloudEvent (a JSON object) or a batch (an array), got "
                    + Json.kind(root), "");
        }
        return ParseResult.of(List.of(event(root, ""))).withDeliveryId(deliveryId(root));
    }

    /** The spec: "Consumers MAY assume that Events with identical source and id are duplicates." (A batch has none.) */
    private static String deliveryId(JsonNode e) {
        JsonNode source = e.path("source");
        JsonNode id = e.path("id");
        return source.isString() && id.isString() ? source.stringValue() + "\u0000" + id.stringValue() : null;
    }

    /** Binary mode: the attributes are the ce-* headers; the body is the data. */
    private static JsonNode binary(IngestRequest request) throws InvalidPayloadException {
        ObjectNode e = Json.MAPPER.createObjectNode();
        request.headers().forEach((name, values) -> {
            if (name.startsWith("ce-") && !values.isEmpty()) {
                e.put(name.substring(3), percentDecoded(values.getFirst()));
            }
        });
        String contentType = request.header("content-type").orElse(null);
        if (contentType != null) {
            e.put("datacontenttype", contentType);
        }
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (body.length > 0) {
            if (isJson(contentType)) {
                e.set("data", Json.tree(body));
            } else {
                e.put("data", new String(body, StandardCharsets.UTF_8));
            }
        }
        return e;
    }

    /**
     * The HTTP binding (3.1.3.2) percent-encodes header values outside printable ASCII, and space, '"' and '%', as
     * UTF-8; a '%' not followed by two hex digits is kept as it is rather than refusing the event.
     */
    static String percentDecoded(String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        var bytes = new java.io.ByteArrayOutputStream(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            int hi = c == '%' && i + 2 < value.length() ? Character.digit(value.charAt(i + 1), 16) : -1;
            int lo = hi < 0 ? -1 : Character.digit(value.charAt(i + 2), 16);
            if (lo >= 0) {
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static NormalizedAlert event(JsonNode e, String at) throws InvalidPayloadException {
        if (!e.isObject()) {
            throw new InvalidPayloadException("a CloudEvent must be an object, got " + Json.kind(e), at);
        }
        // the spec's required attributes are strings: a number id would also not be told as a redelivery
        String specversion = JsonFields.string(e, "specversion", at, true);
        if (!specversion.equals("1.0")) {
            throw new InvalidPayloadException("unsupported specversion \"" + specversion + "\": expected \"1.0\"",
                    JsonFields.ptr(at, "specversion"));
        }
        JsonFields.string(e, "id", at, true);
        String source = JsonFields.string(e, "source", at, true);
        String type = JsonFields.string(e, "type", at, true);
        String subject = JsonFields.text(e, "subject", at);
        String time = JsonFields.text(e, "time", at);
        if (time != null && Json.instant(time) == null) {
            throw new InvalidPayloadException("'time' must be an RFC 3339 timestamp, got \"" + time + "\"",
                    JsonFields.ptr(at, "time"));
        }
        JsonNode data = data(e, at);

        Map<String, String> extensions = new LinkedHashMap<>();
        for (var p : e.properties()) {
            if (!CONTEXT_ATTRIBUTES.contains(p.getKey()) && p.getValue().isValueNode() && !p.getValue().isNull()) {
                extensions.put(p.getKey(), p.getValue().asString());
            }
        }
        JsonNode dataObject = data != null && data.isObject() ? data : null;
        String severityWord = JsonFields.firstNonBlank(extensions.get("severity"), scalar(dataObject, "severity"));
        Severity severity = severityWord == null ? Severity.MEDIUM : AlertmanagerParser.severity(severityWord);
        String statusWord = JsonFields.firstNonBlank(extensions.get("status"), scalar(dataObject, "status"),
                scalar(dataObject, "state"));
        EventStatus status = status(statusWord);
        if (status == null) {
            status = severity == Severity.INFO ? EventStatus.INFORMATIONAL : EventStatus.FIRING;
        }

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("type", type);
        labels.put("source", source);
        JsonFields.put(labels, "subject", subject);
        labels.putAll(extensions);

        String given = JsonFields.firstNonBlank(extensions.get("fingerprint"), extensions.get("dedupkey"));
        String fingerprint = given != null ? given : "ce:" + JsonFields.hash(source, subject, type);
        String summary = data != null && data.isString() ? data.asString()
                : JsonFields.firstNonBlank(scalar(dataObject, "message"), scalar(dataObject, "description"),
                        scalar(dataObject, "summary"));
        String link = JsonFields.firstNonBlank(extensions.get("link"), scalar(dataObject, "link"), scalar(dataObject, "url"));
        return new NormalizedAlert(status, severity, severityWord,
                subject == null ? type : type + ": " + subject, summary, resource(source), labels, fingerprint,
                Json.instant(time), link, e.toString());
    }

    /** data, or data_base64 decoded (and read as JSON when its content type says so); never both. */
    private static JsonNode data(JsonNode e, String at) throws InvalidPayloadException {
        String base64 = JsonFields.text(e, "data_base64", at);
        if (base64 == null) {
            JsonNode data = e.get("data");
            return data == null || data.isNull() ? null : data;
        }
        if (e.has("data")) {
            throw new InvalidPayloadException("'data' and 'data_base64' must not both be present",
                    JsonFields.ptr(at, "data_base64"));
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException ex) {
            throw new InvalidPayloadException("'data_base64' is not valid base64: " + ex.getMessage(),
                    JsonFields.ptr(at, "data_base64"));
        }
        if (isJson(JsonFields.text(e, "datacontenttype", at))) {
            try {
                return Json.MAPPER.readTree(bytes);
            } catch (JacksonException ex) {
                return null; // binary data that merely claims to be JSON: keep the event, skip the data
            }
        }
        return null;
    }

    private static EventStatus status(String word) {
        if (word == null) {
            return null;
        }
        return switch (word.trim().toLowerCase(Locale.ROOT)) {
            case "firing", "triggered", "trigger", "alerting", "alarm", "open", "active", "problem" -> EventStatus.FIRING;
            case "resolved", "resolve", "ok", "recovered", "closed", "inactive", "normal", "cleared" ->
                    EventStatus.RESOLVED;
            case "info", "informational", "acknowledged" -> EventStatus.INFORMATIONAL;
            default -> null;
        };
    }

    /** The source URI says which cloud the event is about: an ARN, an Azure resource ID, a GCP resource name. */
    static Resource resource(String source) {
        if (source.startsWith("arn:")) {
            return Resource.of("aws", source);
        }
        if (source.toLowerCase(Locale.ROOT).startsWith("/subscriptions/")) {
            return Resource.of("azure", source);
        }
        if (source.startsWith("//") && source.contains(".googleapis.com/")) {
            return Resource.of("gcp", source);
        }
        return Resource.of("service", source);
    }

    private static String scalar(JsonNode object, String field) {
        JsonNode v = object == null ? null : object.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asString();
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        String ct = contentType.toLowerCase(Locale.ROOT);
        return ct.startsWith("application/json") || ct.contains("+json");
    }
}
