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

/**
 * Kubernetes Events: a {@code core/v1} Event or EventList, or an {@code events.k8s.io/v1} Event
 * (exporters emit both; kubernetes-event-exporter sends the core/v1 shape without kind/apiVersion).
 * Warning events fire, Normal events are informational. Kubernetes events never resolve: a
 * Warning incident closes by hand or by the app's own policy. See docs/formats/kubernetes.md.
 */
public final class KubernetesParser implements EventParser {

    /** Severity of a Warning event by its reason; any other Warning is medium. */
    static final Map<String, Severity> WARNING_SEVERITY = Map.ofEntries(
            Map.entry("NodeNotReady", Severity.CRITICAL),
            Map.entry("KernelDeadlock", Severity.CRITICAL),
            Map.entry("OOMKilling", Severity.HIGH),
            Map.entry("OOMKilled", Severity.HIGH),
            Map.entry("SystemOOM", Severity.HIGH),
            Map.entry("Evicted", Severity.HIGH),
            Map.entry("Evicting", Severity.HIGH),
            Map.entry("EvictionThresholdMet", Severity.HIGH),
            Map.entry("NodeHasDiskPressure", Severity.HIGH),
            Map.entry("NodeHasMemoryPressure", Severity.HIGH),
            Map.entry("FreeDiskSpaceFailed", Severity.HIGH),
            Map.entry("BackOff", Severity.HIGH),
            Map.entry("CrashLoopBackOff", Severity.HIGH),
            Map.entry("FailedMount", Severity.HIGH),
            Map.entry("FailedAttachVolume", Severity.HIGH),
            Map.entry("FailedCreatePodSandBox", Severity.HIGH),
            Map.entry("FailedCreate", Severity.HIGH),
            Map.entry("Failed", Severity.HIGH),
            Map.entry("ErrImagePull", Severity.HIGH),
            Map.entry("ImagePullBackOff", Severity.HIGH),
            Map.entry("FailedScheduling", Severity.MEDIUM),
            Map.entry("Unhealthy", Severity.MEDIUM),
            Map.entry("ProbeWarning", Severity.LOW),
            Map.entry("DNSConfigForming", Severity.LOW),
            Map.entry("FailedGetResourceMetric", Severity.LOW),
            Map.entry("FailedComputeMetricsReplicas", Severity.LOW));

    @Override
    public SourceType format() {
        return SourceType.KUBERNETES;
    }

    @Override
    public ParseResult parse(IngestRequest request) throws InvalidPayloadException {
        JsonNode root = Json.object(request.body());
        String kind = JsonFields.text(root, "kind", "");
        if ("EventList".equals(kind) || (kind == null && root.has("items"))) {
            JsonNode items = JsonFields.array(root, "items", "", false);
            if (items == null) {
                throw new InvalidPayloadException("missing required field 'items'", "/items");
            }
            List<NormalizedAlert> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                out.add(event(items.get(i), JsonFields.ptr("/items", i)));
            }
            return ParseResult.of(out);
        }
        if (kind != null && !kind.equals("Event")) {
            throw new InvalidPayloadException("'kind' must be Event or EventList, got \"" + kind + "\"", "/kind");
        }
        return ParseResult.of(List.of(event(root, "")));
    }

    private static NormalizedAlert event(JsonNode e, String at) throws InvalidPayloadException {
        if (!e.isObject()) {
            throw new InvalidPayloadException("event must be an object, got " + Json.kind(e), at);
        }
        String apiVersion = JsonFields.text(e, "apiVersion", at);
        boolean eventsApi = apiVersion != null ? apiVersion.startsWith("events.k8s.io/")
                : e.has("regarding") && !e.has("involvedObject");
        String objectField = eventsApi ? "regarding" : "involvedObject";
        JsonNode object = JsonFields.object(e, objectField, at, false);
        if (object == null) {
            throw new InvalidPayloadException("missing required field '" + objectField + "'", JsonFields.ptr(at, objectField));
        }
        String objectAt = JsonFields.ptr(at, objectField);
        String namespace = JsonFields.text(object, "namespace", objectAt);
        String objectKind = JsonFields.text(object, "kind", objectAt);
        String name = JsonFields.text(object, "name", objectAt);
        String uid = JsonFields.text(object, "uid", objectAt);
        if (name == null && uid == null) {
            throw new InvalidPayloadException("'" + objectField + "' needs a name or a uid", objectAt);
        }

        String type = JsonFields.text(e, "type", at);
        if (type != null && !type.equals("Normal") && !type.equals("Warning")) {
            throw new InvalidPayloadException("'type' must be Normal or Warning, got \"" + type + "\"",
                    JsonFields.ptr(at, "type"));
        }
        boolean warning = "Warning".equals(type);
        String reason = JsonFields.text(e, "reason", at);
        Severity severity = !warning ? Severity.INFO
                : reason == null ? Severity.MEDIUM : WARNING_SEVERITY.getOrDefault(reason, Severity.MEDIUM);

        JsonNode source = JsonFields.object(e, eventsApi ? "deprecatedSource" : "source", at, false);
        String component = JsonFields.firstNonBlank(JsonFields.text(e, eventsApi ? "reportingController" : "reportingComponent", at),
                JsonFields.text(source, "component", JsonFields.ptr(at, "source")));
        String host = JsonFields.text(source, "host", JsonFields.ptr(at, "source"));

        String objectPath = (namespace == null ? "" : namespace + "/") + (objectKind == null ? "Object" : objectKind)
                + "/" + (name == null ? uid : name);
        Map<String, String> labels = new LinkedHashMap<>();
        JsonFields.put(labels, "namespace", namespace);
        JsonFields.put(labels, "kind", objectKind);
        JsonFields.put(labels, "name", name);
        JsonFields.put(labels, "reason", reason);
        JsonFields.put(labels, "type", type);
        JsonFields.put(labels, "component", component);
        JsonFields.put(labels, "host", host);
        JsonFields.put(labels, "cluster", JsonFields.text(e, "clusterName", at)); // added by kubernetes-event-exporter

        String fingerprint = "k8s:" + (uid != null ? uid : objectPath) + ":" + (reason == null ? "" : reason);
        String title = (reason == null ? "Event" : reason) + ": " + objectPath;
        return new NormalizedAlert(warning ? EventStatus.FIRING : EventStatus.INFORMATIONAL, severity, type, title,
                JsonFields.text(e, eventsApi ? "note" : "message", at), new Resource("kubernetes", objectPath,
                name == null ? uid : name), labels, fingerprint, Json.instant(time(e, at, eventsApi)), null,
                e.toString());
    }

    /** The latest time the event says it was seen. */
    private static String time(JsonNode e, String at, boolean eventsApi) throws InvalidPayloadException {
        String seriesTime = JsonFields.text(JsonFields.object(e, "series", at, false), "lastObservedTime", JsonFields.ptr(at, "series"));
        return eventsApi
                ? JsonFields.firstNonBlank(seriesTime, JsonFields.text(e, "deprecatedLastTimestamp", at), JsonFields.text(e, "eventTime", at))
                : JsonFields.firstNonBlank(JsonFields.text(e, "lastTimestamp", at), seriesTime, JsonFields.text(e, "eventTime", at),
                        JsonFields.text(e, "firstTimestamp", at),
                        JsonFields.text(JsonFields.object(e, "metadata", at, false), "creationTimestamp", JsonFields.ptr(at, "metadata")));
    }
}
