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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.onloop.adapters.ingest.JsonFields.firstNonBlank;
import static io.onloop.adapters.ingest.JsonFields.ptr;

/**
 * Amazon EventBridge events delivered through an API destination. "CloudWatch Alarm State Change"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html)
 * becomes an alarm alert; any other detail-type an informational event.
 */
public final class EventBridgeParser implements EventParser {
    static final String ALARM_STATE_CHANGE = "CloudWatch Alarm State Change";

    @Override
    public SourceType format() {
        return SourceType.EVENTBRIDGE;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        String detailType = JsonFields.string(root, "detail-type", "", true);
        List<String> resources = new ArrayList<>();
        JsonNode res = JsonFields.array(root, "resources", "", false);
        for (int i = 0; res != null && i < res.size(); i++) {
            if (!res.get(i).isString()) {
                throw new InvalidPayloadException(ptr("/resources", i) + " must be a string, got " + Json.kind(res.get(i)),
                        ptr("/resources", i));
            }
            resources.add(res.get(i).stringValue());
        }
        JsonNode detail = JsonFields.object(root, "detail", "", detailType.equals(ALARM_STATE_CHANGE));
        NormalizedAlert alert = detailType.equals(ALARM_STATE_CHANGE)
                ? alarm(root, detail, resources) : generic(root, detailType, detail, resources);
        return ParseResult.of(List.of(alert)).withDeliveryId(root.path("id").isString() ? root.path("id").stringValue() : null);
    }

    private static NormalizedAlert alarm(JsonNode root, JsonNode detail, List<String> resources) throws InvalidPayloadException {
        String name = JsonFields.string(detail, "alarmName", "/detail", true);
        JsonNode state = JsonFields.object(detail, "state", "/detail", true);
        String value = JsonFields.string(state, "value", "/detail/state", true);
        EventStatus status = CloudWatchAlarms.status(value, "/detail/state/value");
        String account = JsonFields.scalar(root, "account", "");
        String region = JsonFields.string(root, "region", "", false);
        String arn = resources.stream().filter(r -> CloudWatchAlarms.AlarmArn.parse(r) != null).findFirst()
                .orElse(account != null && region != null ? "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + name : null);
        String fingerprint = CloudWatchAlarms.fingerprint(arn, account, region, name);

        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("alarm_name", name);
        JsonFields.put(labels, "aws_account", account);
        JsonFields.put(labels, "aws_region", region);
        JsonNode previous = JsonFields.object(detail, "previousState", "/detail", false);
        JsonFields.put(labels, "previous_state", previous == null ? null : JsonFields.string(previous, "value", "/detail/previousState", false));

        String namespace = null;
        Map<String, String> dims = new LinkedHashMap<>();
        JsonNode config = JsonFields.object(detail, "configuration", "/detail", false);
        String description = config == null ? null : JsonFields.string(config, "description", "/detail/configuration", false);
        JsonNode metrics = config == null ? null : JsonFields.array(config, "metrics", "/detail/configuration", false);
        for (int i = 0; metrics != null && i < metrics.size(); i++) {
            String at = ptr("/detail/configuration/metrics", i);
            JsonNode m = metrics.get(i);
            if (!m.isObject()) {
                throw new InvalidPayloadException(at + " must be an object, got " + Json.kind(m), at);
            }
            String expression = JsonFields.string(m, "expression", at, false);
            if (expression != null) {
                labels.putIfAbsent("expression", expression);
            }
            JsonNode stat = JsonFields.object(m, "metricStat", at, false);
            JsonNode metric = stat == null ? null : JsonFields.object(stat, "metric", at + "/metricStat", false);
            if (metric != null && !labels.containsKey("metric_name")) {
                String mat = at + "/metricStat/metric";
                namespace = JsonFields.string(metric, "namespace", mat, false);
                JsonFields.put(labels, "metric_name", JsonFields.string(metric, "name", mat, false));
                dims.putAll(JsonFields.stringMap(metric, "dimensions", mat));
            }
        }
        JsonFields.put(labels, "namespace", namespace);
        dims.forEach((k, v) -> labels.put("dimension_" + k, v));

        String summary = CloudWatchAlarms.summary(description, JsonFields.string(state, "reason", "/detail/state", false));
        var occurred = firstNonNull(CloudWatchAlarms.time(JsonFields.string(state, "timestamp", "/detail/state", false)),
                Json.instant(JsonFields.string(root, "time", "", false)));
        return new NormalizedAlert(status, CloudWatchAlarms.severity(status), value, name, summary,
                CloudWatchAlarms.resource(arn, namespace, dims), labels, fingerprint, occurred,
                CloudWatchAlarms.consoleLink(CloudWatchAlarms.AlarmArn.parse(arn)), root.toString());
    }

    private static NormalizedAlert generic(JsonNode root, String detailType, JsonNode detail, List<String> resources)
            throws InvalidPayloadException {
        String source = java.util.Objects.requireNonNullElse(JsonFields.string(root, "source", "", false), "");
        String fingerprint = "eventbridge:" + JsonFields.sha256(source + "\n" + detailType + "\n" + String.join("\n", resources));
        Map<String, String> labels = new LinkedHashMap<>();
        JsonFields.put(labels, "source", source);
        JsonFields.put(labels, "detail_type", detailType);
        JsonFields.put(labels, "aws_account", JsonFields.scalar(root, "account", ""));
        JsonFields.put(labels, "aws_region", JsonFields.string(root, "region", "", false));
        Resource resource = resources.isEmpty() ? Resource.UNKNOWN : Resource.of("aws", resources.getFirst());
        return new NormalizedAlert(EventStatus.INFORMATIONAL, Severity.INFO, "", detailType,
                detail == null ? null : detail.toString(), resource, labels, fingerprint,
                Json.instant(JsonFields.string(root, "time", "", false)), null, root.toString());
    }

    private static <T> T firstNonNull(T a, T b) {
        return a != null ? a : b;
    }
}
