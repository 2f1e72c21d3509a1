package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Grafana unified alerting webhook contact point (payload {@code version "1"}, Alertmanager-shaped):
 * every element of {@code alerts[]} becomes one alert; {@code truncatedAlerts} is passed on.
 * Legacy (pre-8) Grafana alerting payloads have no {@code alerts[]} and are rejected. See docs/formats/grafana.md.
 */
public final class GrafanaParser implements EventParser {
    /** Grafana writes this zero time as {@code endsAt} of an alert that is still firing. */
    private static final Instant GO_ZERO_TIME = Instant.parse("0001-01-01T00:00:00Z");

    @Override
    public SourceType format() {
        return SourceType.GRAFANA;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        JsonNode alerts = JsonFields.array(root, "alerts", "", false);
        if (alerts == null) {
            throw new InvalidPayloadException("missing required field 'alerts' (Grafana alerting webhook);"
                    + " legacy Grafana alerting payloads are not supported", "/alerts");
        }
        String groupStatus = JsonFields.text(root, "status", "");
        List<NormalizedAlert> out = new ArrayList<>(alerts.size());
        List<String> warnings = new ArrayList<>();
        for (int i = 0; i < alerts.size(); i++) {
            out.add(alert(alerts.get(i), JsonFields.ptr("/alerts", i), groupStatus, warnings));
        }
        return new ParseResult(out, truncated(root), warnings, null);
    }

    private static NormalizedAlert alert(JsonNode a, String at, String groupStatus, List<String> warnings) throws InvalidPayloadException {
        if (!a.isObject()) {
            throw new InvalidPayloadException("alert must be an object, got " + Json.kind(a), at);
        }
        Map<String, String> labels = JsonFields.stringMap(a, "labels", at);
        Map<String, String> annotations = JsonFields.stringMap(a, "annotations", at);
        String statusText = JsonFields.text(a, "status", at);
        // an alert without status inherits the group's; an error then points where it came from
        boolean inherited = statusText == null && groupStatus != null;
        EventStatus status = status(inherited ? groupStatus : statusText, inherited ? "" : at);

        // Grafana alert labels follow Prometheus conventions: same severity, resource and fingerprint rules
        String severityWord = labels.getOrDefault("severity", "");
        String fingerprint = JsonFields.text(a, "fingerprint", at);

        String timeField = status == EventStatus.RESOLVED ? "endsAt" : "startsAt";
        Instant occurred = Json.instant(JsonFields.text(a, timeField, at), JsonFields.ptr(at, timeField), warnings);
        if (GO_ZERO_TIME.equals(occurred)) {
            occurred = null;
        }
        String link = JsonFields.firstNonBlank(JsonFields.text(a, "generatorURL", at), JsonFields.text(a, "panelURL", at),
                JsonFields.text(a, "dashboardURL", at));
        String title = JsonFields.firstNonBlank(labels.get("alertname"), annotations.get("summary"), "Grafana alert");
        return new NormalizedAlert(status, AlertmanagerParser.severity(severityWord), severityWord, title,
                summary(a, annotations, at), AlertmanagerParser.resource(labels), labels,
                fingerprint != null ? fingerprint : AlertmanagerParser.fingerprint(labels),
                occurred, link, a.toString());
    }

    private static EventStatus status(String value, String at) throws InvalidPayloadException {
        if ("firing".equals(value)) {
            return EventStatus.FIRING;
        }
        if ("resolved".equals(value)) {
            return EventStatus.RESOLVED;
        }
        String where = JsonFields.ptr(at, "status");
        throw new InvalidPayloadException(value == null ? "missing required field 'status'"
                : "'status' must be \"firing\" or \"resolved\", got \"" + value + "\"", where);
    }

    /** Summary and description annotations, then the query values that made the alert fire. */
    private static String summary(JsonNode a, Map<String, String> annotations, String at) throws InvalidPayloadException {
        StringJoiner text = new StringJoiner("\n");
        for (String key : List.of("summary", "description")) {
            String v = annotations.get(key);
            if (v != null && !v.isBlank()) {
                text.add(v);
            }
        }
        Map<String, String> values = JsonFields.stringMap(a, "values", at);
        String valueString = JsonFields.text(a, "valueString", at);
        if (!values.isEmpty()) {
            StringJoiner v = new StringJoiner(", ", "Values: ", "");
            values.forEach((k, x) -> v.add(k + "=" + x));
            text.add(v.toString());
        } else if (valueString != null) {
            text.add("Values: " + valueString);
        }
        return text.toString();
    }

    private static int truncated(JsonNode root) throws InvalidPayloadException {
        JsonNode t = root.get("truncatedAlerts");
        if (t == null || t.isNull()) {
            return 0;
        }
        if (!t.isIntegralNumber() || !t.canConvertToInt() || t.intValue() < 0) {
            throw new InvalidPayloadException("'truncatedAlerts' must be a non-negative integer, got " + Json.kind(t),
                    "/truncatedAlerts");
        }
        return t.intValue();
    }
}
