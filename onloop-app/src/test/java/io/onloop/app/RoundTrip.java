package io.onloop.app;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One scenario, run against each database: ingest → incidents → acknowledge → comment → resolve.
 * It returns what a client saw, without ids or times, so runs on H2 and PostgreSQL compare equal.
 */
public final class RoundTrip {
    public static final List<String> EXPECTED = List.of(
            "first: status=resolved events=3 alerts=1 firing=0 ackBy=token:responder resolvedBy=source",
            "first: timeline=opened,acknowledged,comment,alert_resolved,resolved",
            "second: status=resolved events=1 alerts=1 firing=1 ackBy=null resolvedBy=token:responder",
            "second: timeline=opened,resolved",
            "events for host: 3", // the redelivery is counted on the first CpuHigh event, not listed
            "open incidents for host: 0",
            "resolved incidents for host: 2");

    private RoundTrip() {
    }

    public static List<String> run(Http http, String adminToken) {
        String ingest = http.post("/api/v1/sources").bearer(adminToken)
                .json(Map.of("format", "alertmanager", "name", "round-trip")).send().expect(201).json()
                .get("token").asString();
        String responder = http.post("/api/v1/tokens").bearer(adminToken)
                .json(Map.of("name", "responder", "role", "responder")).send().expect(201).json()
                .get("token").asString();
        String host = "round-trip-" + UUID.randomUUID();

        String first = post(http, ingest, "firing", "CpuHigh", host);
        assertThat(post(http, ingest, "firing", "CpuHigh", host)).as("redelivery joins the open incident").isEqualTo(first);
        String second = post(http, ingest, "firing", "MemoryHigh", host);
        assertThat(second).isNotEqualTo(first);

        http.post("/api/v1/incidents/" + first + "/acknowledge").bearer(responder).send().expect(200);
        http.post("/api/v1/incidents/" + first + "/acknowledge").bearer(responder).send().problem(409);
        http.post("/api/v1/incidents/" + first + "/comments").bearer(responder).json(Map.of("text", "on it"))
                .send().expect(201);
        assertThat(post(http, ingest, "resolved", "CpuHigh", host)).isEqualTo(first);
        http.post("/api/v1/incidents/" + second + "/resolve").bearer(responder).json(Map.of("note", "fixed"))
                .send().expect(200);

        List<String> seen = new ArrayList<>();
        describe(http, adminToken, "first", first, seen);
        describe(http, adminToken, "second", second, seen);
        seen.add("events for host: " + count(http, adminToken, "/api/v1/events?resource=" + host));
        seen.add("open incidents for host: "
                + count(http, adminToken, "/api/v1/incidents?status=open,acknowledged&resource=" + host));
        seen.add("resolved incidents for host: "
                + count(http, adminToken, "/api/v1/incidents?status=resolved&resource=" + host));
        return seen;
    }

    /**
     * Half an emoji ({@code \\ud83d}, a lone surrogate: JSON's escapes allow it) in a fingerprint and in a label name. It
     * becomes U+FFFD, so the journal reads back what it wrote (a label name was lost after its 202) and PostgreSQL
     * stores what it is given (the fingerprint came back as "disk-?" and the resolve was lost).
     */
    public static void halfAnEmoji(Http http, String adminToken) {
        String pagerDuty = http.post("/api/v1/sources").bearer(adminToken).json(Map.of("format", "pagerduty", "name", "half-an-emoji-pd")).send()
                .expect(201).json().get("token").asString();
        String key = "disk-" + UUID.randomUUID() + "-\\ud83d";
        String trigger = "{\"routing_key\":\"r\",\"event_action\":\"trigger\",\"dedup_key\":\"" + key + "\","
                + "\"payload\":{\"summary\":\"disk full\",\"source\":\"db-1\",\"severity\":\"critical\"}}";
        var fired = http.post("/api/v1/ingest/pagerduty").bearer(pagerDuty).header("Prefer", "wait=10").json(trigger)
                .send().expect(202).json();
        String incident = fired.get("incidentIds").get(0).asString();
        var resolved = http.post("/api/v1/ingest/pagerduty").bearer(pagerDuty).header("Prefer", "wait=10")
                .json(trigger.replace("\"trigger\"", "\"resolve\"")).send().expect(202).json();
        assertThat(resolved.get("incidentIds").get(0).asString()).isEqualTo(incident);
        assertThat(http.get("/api/v1/incidents/" + incident).bearer(adminToken).send().expect(200).json()
                .get("incident").get("status").asString()).isEqualTo("resolved");

        String datadog = http.post("/api/v1/sources").bearer(adminToken).json(Map.of("format", "datadog", "name", "half-an-emoji-dd")).send()
                .expect(201).json().get("token").asString();
        var accepted = http.post("/api/v1/ingest/datadog").bearer(datadog).header("Prefer", "wait=10")
                .json("{\"alert_id\":\"" + UUID.randomUUID() + "\",\"event_title\":\"x\",\"tags\":\"team:pay,\\ud83dx:1\"}")
                .send().expect(202).json();
        JsonNode event = http.get("/api/v1/events/" + accepted.get("eventIds").get(0).asString()).bearer(adminToken)
                .send().expect(200).json();
        assertThat(event.get("labels").get("\uFFFDx").asString()).isEqualTo("1");
        assertThat(event.get("labels").get("team").asString()).isEqualTo("pay");
    }

    private static String post(Http http, String token, String status, String alertname, String host) {
        return http.post("/api/v1/ingest/alertmanager").bearer(token).header("Prefer", "wait=10")
                .json(Payloads.alertmanager(status, alertname, host)).send().expect(202).json()
                .get("incidentIds").get(0).asString();
    }

    private static void describe(Http http, String token, String name, String id, List<String> seen) {
        JsonNode detail = http.get("/api/v1/incidents/" + id).bearer(token).send().expect(200).json();
        JsonNode i = detail.get("incident");
        seen.add(name + ": status=" + i.get("status").asString() + " events=" + i.get("eventCount").asInt()
                + " alerts=" + i.get("alertCount").asInt() + " firing=" + i.get("firingCount").asInt()
                + " ackBy=" + text(i.get("acknowledgedBy")) + " resolvedBy=" + text(i.get("resolvedBy")));
        seen.add(name + ": timeline=" + String.join(",", detail.get("timeline").values().stream()
                .map(t -> t.get("kind").asString()).toList()));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "null" : node.asString();
    }

    private static int count(Http http, String token, String url) {
        return http.get(url + "&limit=500").bearer(token).send().expect(200).json().get("items").size();
    }
}
