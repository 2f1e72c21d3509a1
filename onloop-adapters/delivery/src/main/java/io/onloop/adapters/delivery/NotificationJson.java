package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Notification;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A notification as JSON: the outbox payload, and the body the generic webhook sends. Field names
 * are snake_case and stable: webhook receivers depend on them (see docs/routing.md).
 */
public final class NotificationJson {
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String ACKNOWLEDGEMENT = "acknowledgement";

    private NotificationJson() {
    }

    public static ObjectNode tree(Notification n) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", "1");
        o.put("tenant", n.tenantId());
        o.put("receiver", n.receiver());
        o.put("route", n.routeKey());
        o.put("status", n.status().name().toLowerCase(java.util.Locale.ROOT));
        o.put("severity", n.severity().id());
        o.put("title", n.title());
        o.put("thread_key", n.threadKey());
        o.put("sequence", n.sequence());
        o.put("dedup_key", n.dedupKey());
        o.put("at", n.at().toString());
        ObjectNode group = o.putObject("group_labels");
        n.groupLabels().forEach(group::put);
        o.put("runbook", n.runbook());
        alerts(o.putArray("firing"), n.firing());
        alerts(o.putArray("resolved"), n.resolved());
        return o;
    }

    public static String write(Notification n) {
        return JSON.writeValueAsString(tree(n));
    }

    private static void alerts(ArrayNode out, List<AlertSnapshot> alerts) {
        for (AlertSnapshot a : alerts) {
            ObjectNode x = out.addObject();
            x.put("fingerprint", a.fingerprint());
            x.put("firing", a.firing());
            x.put("severity", a.severity().id());
            x.put("source", a.source());
            x.put("title", a.title());
            x.put("summary", a.summary());
            ObjectNode r = x.putObject("resource");
            r.put("kind", a.resource().kind());
            r.put("id", a.resource().id());
            r.put("name", a.resource().name());
            ObjectNode labels = x.putObject("labels");
            new java.util.TreeMap<>(a.labels()).forEach(labels::put);
            x.put("link", a.link());
            x.put("incident_id", a.incidentId() == null ? null : a.incidentId().toString());
            x.put("starts_at", a.startsAt().toString());
            x.put("ends_at", a.endsAt() == null ? null : a.endsAt().toString());
        }
    }

    public static Notification read(String json) {
        return read(JSON.readTree(json));
    }

    private static Notification read(JsonNode o) {
        Map<String, String> group = new LinkedHashMap<>();
        o.get("group_labels").properties().forEach(e -> group.put(e.getKey(), e.getValue().asString()));
        return new Notification(o.get("tenant").asString(), o.get("receiver").asString(), o.get("route").asString(),
                group, o.get("thread_key").asString(), o.get("sequence").asInt(),
                Notification.Status.valueOf(o.get("status").asString().toUpperCase(java.util.Locale.ROOT)),
                readAlerts(o.get("firing")), readAlerts(o.get("resolved")), Instant.parse(o.get("at").asString()),
                o.get("runbook").asString());
    }

    /**
     * An acknowledgement as an outbox payload: {@code kind} tells it from a notification, and the
     * thread's last notification travels with it for targets that redraw their message.
     */
    public static String write(Acknowledgement ack) {
        ObjectNode o = JSON.createObjectNode();
        o.put("version", "1");
        o.put("kind", ACKNOWLEDGEMENT);
        o.put("incident_id", ack.incidentId().toString());
        o.put("by", ack.by());
        o.put("at", ack.at().toString());
        o.set("notification", tree(ack.last()));
        return JSON.writeValueAsString(o);
    }

    /** Whether an outbox payload is an {@link Acknowledgement} rather than a notification. */
    public static boolean isAcknowledgement(String json) {
        return ACKNOWLEDGEMENT.equals(JSON.readTree(json).path("kind").asString(""));
    }

    public static Acknowledgement readAcknowledgement(String json) {
        JsonNode o = JSON.readTree(json);
        return new Acknowledgement(UUID.fromString(o.get("incident_id").asString()), o.get("by").asString(),
                Instant.parse(o.get("at").asString()), read(o.get("notification")));
    }

    private static List<AlertSnapshot> readAlerts(JsonNode arr) {
        List<AlertSnapshot> out = new ArrayList<>();
        for (JsonNode x : arr) {
            Map<String, String> labels = new LinkedHashMap<>();
            x.get("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
            JsonNode r = x.get("resource");
            out.add(new AlertSnapshot(x.get("fingerprint").asString(), x.get("firing").asBoolean(),
                    Severity.fromId(x.get("severity").asString()), x.get("source").asString(),
                    x.get("title").asString(), x.get("summary").asString(),
                    new Resource(r.get("kind").asString(), r.get("id").asString(), r.get("name").asString()), labels,
                    x.get("link").asString(), x.get("incident_id").isNull() ? null
                    : UUID.fromString(x.get("incident_id").asString()), Instant.parse(x.get("starts_at").asString()),
                    x.get("ends_at").isNull() ? null : Instant.parse(x.get("ends_at").asString())));
        }
        return out;
    }
}
