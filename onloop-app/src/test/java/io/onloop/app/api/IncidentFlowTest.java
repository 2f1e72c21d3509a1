package io.onloop.app.api;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import io.onloop.domain.access.Role;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** From webhook to incident and back: grouping, redelivery, resolve, acknowledge, comments, queries. */
class IncidentFlowTest extends AppTestBase {
    private String ingestToken;
    private String responder;

    @BeforeEach
    void setUp() {
        ingestToken = source("alertmanager");
        responder = apiToken(Role.RESPONDER);
    }

    private JsonNode send(String status, String alertname, String instance) {
        return http.post("/api/v1/ingest/alertmanager").bearer(ingestToken).header("Prefer", "wait=10")
                .json(Payloads.alertmanager(status, alertname, instance)).send().expect(202).json();
    }

    private JsonNode incident(String id) {
        return http.get("/api/v1/incidents/" + id).bearer(ADMIN_TOKEN).send().expect(200).json();
    }

    @Test
    void aRedeliveredAlertDoesNotOpenASecondIncident() {
        String host = "redelivery-" + UUID.randomUUID();
        JsonNode firstReply = send("firing", "DiskFull", host);
        JsonNode secondReply = send("firing", "DiskFull", host);
        String first = firstReply.get("incidentIds").get(0).asString();
        assertThat(secondReply.get("incidentIds").get(0).asString()).isEqualTo(first);
        JsonNode detail = incident(first);
        assertThat(detail.get("incident").get("eventCount").asInt()).isEqualTo(2);
        assertThat(detail.get("incident").get("alertCount").asInt()).isEqualTo(1);
        // the unchanged repeat is counted on the first event, and its id leads there
        String firstEvent = firstReply.get("eventIds").get(0).asString();
        assertThat(detail.get("events").size()).isEqualTo(1);
        assertThat(detail.get("events").get(0).get("id").asString()).isEqualTo(firstEvent);
        assertThat(detail.get("events").get(0).get("repeats").asInt()).isEqualTo(1);
        JsonNode repeat = http.get("/api/v1/events/" + secondReply.get("eventIds").get(0).asString()).bearer(ADMIN_TOKEN)
                .send().expect(200).json();
        assertThat(repeat.get("id").asString()).isEqualTo(firstEvent);
        assertThat(repeat.get("lastSeenAt").asString()).isNotEqualTo(repeat.get("receivedAt").asString());
        var open = http.get("/api/v1/incidents?status=open&resource=" + host).bearer(ADMIN_TOKEN).send().expect(200)
                .json();
        assertThat(open.get("items").size()).isLessThanOrEqualTo(1);
    }

    @Test
    void aResolveClosesTheIncidentItBelongsTo() {
        String host = "resolve-" + UUID.randomUUID();
        String id = send("firing", "HighLatency", host).get("incidentIds").get(0).asString();
        var resolved = send("resolved", "HighLatency", host);
        assertThat(resolved.get("incidentIds").get(0).asString()).isEqualTo(id);
        JsonNode detail = incident(id);
        assertThat(detail.get("incident").get("status").asString()).isEqualTo("resolved");
        assertThat(detail.get("incident").get("resolvedBy").asString()).isEqualTo("source");
        assertThat(detail.get("timeline").values()).extracting(t -> t.get("kind").asString())
                .contains("opened", "resolved");
    }

    @Test
    void aResolveWithNothingOpenIsRecordedNotTurnedIntoAnIncident() {
        var body = send("resolved", "NeverFired", "nothing-open-" + UUID.randomUUID());
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        assertThat(body.get("incidentIds").size()).isZero();
    }

    @Test
    void aResponderAcknowledgesCommentsAndResolves() {
        String id = send("firing", "QueueBacklog", "ack-" + UUID.randomUUID()).get("incidentIds").get(0).asString();
        var acked = http.post("/api/v1/incidents/" + id + "/acknowledge").bearer(responder).send().expect(200).json();
        assertThat(acked.get("status").asString()).isEqualTo("acknowledged");
        assertThat(acked.get("acknowledgedBy").asString()).startsWith("token:");

        var again = http.post("/api/v1/incidents/" + id + "/acknowledge").bearer(responder).send().problem(409);
        assertThat(again.get("detail").asString()).contains("acknowledged");

        http.post("/api/v1/incidents/" + id + "/comments").bearer(responder)
                .json(Map.of("text", "looking at the consumer lag")).send().expect(201);
        var resolved = http.post("/api/v1/incidents/" + id + "/resolve").bearer(responder)
                .json(Map.of("note", "consumer restarted")).send().expect(200).json();
        assertThat(resolved.get("status").asString()).isEqualTo("resolved");
        http.post("/api/v1/incidents/" + id + "/resolve").bearer(responder).send().problem(409);

        JsonNode detail = incident(id);
        assertThat(detail.get("timeline").values()).extracting(t -> t.get("kind").asString())
                .containsSubsequence("opened", "acknowledged", "comment", "resolved");
        var audit = http.get("/api/v1/audit").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(audit.get("items").values()).filteredOn(a -> a.get("targetId").asString().equals(id))
                .extracting(a -> a.get("action").asString())
                .contains("incident.acknowledge", "incident.comment", "incident.resolve");
    }

    @Test
    void commentsAreRequiredAndBounded() {
        String id = send("firing", "Comments", "c-" + UUID.randomUUID()).get("incidentIds").get(0).asString();
        String url = "/api/v1/incidents/" + id + "/comments";
        assertThat(http.post(url).bearer(responder).json(Map.of("text", " ")).send().problem(400)
                .get("parameter").asString()).isEqualTo("text");
        http.post(url).bearer(responder).json(Map.of("text", "x".repeat(10_001))).send().problem(400);
        http.post(url).bearer(responder).json("{\"text\":").send().problem(400);
        http.post(url).bearer(responder).send().problem(400);
        http.post(url).bearer(responder).body("text=hi", "application/x-www-form-urlencoded").send().problem(415);
        http.post(url).bearer(responder).json(Map.of("text", "x".repeat(10_000))).send().expect(201);
    }

    @Test
    void unknownIncidentsAre404AndMalformedIdsAre400() {
        String unknown = UUID.randomUUID().toString();
        http.get("/api/v1/incidents/" + unknown).bearer(ADMIN_TOKEN).send().problem(404);
        http.post("/api/v1/incidents/" + unknown + "/acknowledge").bearer(responder).send().problem(404);
        http.post("/api/v1/incidents/" + unknown + "/comments").bearer(responder).json(Map.of("text", "hi"))
                .send().problem(404);
        http.get("/api/v1/incidents/not-a-uuid").bearer(ADMIN_TOKEN).send().problem(400);
        http.get("/api/v1/events/" + unknown).bearer(ADMIN_TOKEN).send().problem(404);
        http.get("/api/v1/no-such-endpoint").bearer(ADMIN_TOKEN).send().problem(404);
    }

    @Test
    void eventsAndIncidentsFilterAndPage() {
        String host = "filter-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            send("firing", "Paged" + i, host);
        }
        var page1 = http.get("/api/v1/events?resource=" + host + "&limit=2").bearer(ADMIN_TOKEN).send().expect(200)
                .json();
        assertThat(page1.get("items").size()).isEqualTo(2);
        String cursor = page1.get("nextCursor").asString();
        var page2 = http.get("/api/v1/events?resource=" + host + "&limit=2&cursor=" + cursor).bearer(ADMIN_TOKEN)
                .send().expect(200).json();
        assertThat(page2.get("items").size()).isEqualTo(1);
        assertThat(page2.get("nextCursor").isNull()).isTrue();
        assertThat(page1.get("items").get(0).has("rawPayload")).isFalse();

        var byLabel = http.get("/api/v1/events?label=alertname=Paged1&label=instance=" + host + "&severity=critical"
                + "&status=firing&source=alertmanager&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00%2B02:00")
                .bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(byLabel.get("items").size()).isEqualTo(1);
        // one label whose value holds a comma and spaces at its ends is one label, as stored: Spring split it on
        // commas and trimmed the pieces (a 400, or nothing found)
        String odd = " " + host + ", b ";
        send("firing", "Odd", odd);
        for (String list : new String[]{"/api/v1/events", "/api/v1/incidents"}) {
            assertThat(http.get(list + "?label=instance=" + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8))
                    .bearer(ADMIN_TOKEN).send().expect(200).json().get("items").size()).as(list).isEqualTo(1);
        }
        var byText = http.get("/api/v1/events?q=PAGED2%20on%20" + host).bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(byText.get("items").size()).isEqualTo(1);

        String incidentId = byLabel.get("items").get(0).get("incidentId").asString();
        var byIncident = http.get("/api/v1/events?incident=" + incidentId).bearer(ADMIN_TOKEN).send().expect(200)
                .json();
        assertThat(byIncident.get("items").size()).isEqualTo(1);
        var incidents = http.get("/api/v1/incidents?status=open,acknowledged&severity=critical&resource=" + host)
                .bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(incidents.get("items").size()).isEqualTo(3);
        assertThat(http.get("/api/v1/incidents?status=open&status=acknowledged&severity=critical&resource=" + host)
                .bearer(ADMIN_TOKEN).send().expect(200).json().get("items")).as("a repeated filter is the same list")
                .isEqualTo(incidents.get("items"));
        var one = http.get("/api/v1/events/" + byLabel.get("items").get(0).get("id").asString()).bearer(ADMIN_TOKEN)
                .send().expect(200).json();
        assertThat(one.get("rawPayload").asString()).contains("Paged1");
    }

    @Test
    void badQueryParametersAre400NamingTheParameter() {
        Map<String, String> bad = Map.of(
                "severity=urgent", "severity",
                "status=burning", "status",
                "source=nagios", "source",
                "from=yesterday", "from",
                "to=2024-13-01T00:00:00Z", "to",
                "limit=0", "limit",
                "limit=501", "limit",
                "limit=ten", "limit",
                "label=novalue", "label",
                "cursor=%25%25garbage", "cursor");
        assertThat(http.get("/api/v1/events?from=2030-01-01T00:00:00Z&to=2020-01-01T00:00:00Z").bearer(ADMIN_TOKEN)
                .send().problem(400).get("detail").asString()).as("swapped, more likely than meant")
                .isEqualTo("from: after to (2020-01-01T00:00:00Z), so nothing is in the range");
        // valid ISO-8601, but beyond what PostgreSQL can compare or store
        assertThat(http.get("/api/v1/incidents?from=%2B999999999-12-31T23:59:59Z").bearer(ADMIN_TOKEN).send()
                .problem(400).get("parameter").asString()).isEqualTo("from");
        bad.forEach((query, parameter) -> {
            for (String list : new String[]{"/api/v1/events?", "/api/v1/incidents?"}) {
                var problem = http.get(list + query).bearer(ADMIN_TOKEN).send().problem(400);
                assertThat(problem.get("parameter").asString()).as(list + query).isEqualTo(parameter);
                assertThat(problem.get("detail").asString()).startsWith(parameter);
            }
        });
        // given twice, Spring would have joined them: a filter on "a,b" that matches nothing and says nothing
        for (String query : List.of("/api/v1/events?resource=a&resource=b", "/api/v1/incidents?q=disk&resource=x&q=cpu",
                "/api/v1/audit?limit=5&limit=6")) {
            var problem = http.get(query).bearer(ADMIN_TOKEN).send().problem(400);
            assertThat(problem.get("detail").asString()).as(query).endsWith("given 2 times; it takes one value");
        }
        http.get("/api/v1/events?incident=nope").bearer(ADMIN_TOKEN).send().problem(400);
        http.get("/api/v1/audit?limit=-1").bearer(ADMIN_TOKEN).send().problem(400);
    }

    @Test
    void aQueryStringThatCannotBeDecodedIs400NotA500() throws IOException {
        // escapes that are not UTF-8, in a parameter read or not, with or without a token
        for (String path : List.of("/api/v1/incidents?q=%ff", "/api/v1/events?q=%C3%28", "/api/v1/audit?q=%ff",
                "/api/v1/incidents?cursor=%00%ff", "/api/v1/incidents?%ff=x", "/api/v1/incidents?limit=5&x=%fe")) {
            assertThat(http.get(path).bearer(ADMIN_TOKEN).send().problem(400).get("detail").asString()).as(path)
                    .contains("query string is not valid");
            http.get(path).send().problem(400);
        }
        // a % without two hex digits after it: not even a URI, so sent on a socket of its own
        for (String path : List.of("/api/v1/incidents?a=%", "/api/v1/incidents?q=%4", "/api/v1/incidents?q=%G1")) {
            String response = rawGet(path);
            assertThat(response).as(path).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("query string is not valid");
        }
        // escaped UTF-8, a plus, a percent sign escaped: fine
        http.get("/api/v1/incidents?q=%C3%A9t%C3%A9+x%25").bearer(ADMIN_TOKEN).send().expect(200);
    }

    @Test
    void aFormBodyThatCannotBeDecodedIs400NotA500() {
        for (String body : List.of("a=%ZZ", "comment=%C3%28", "x=%")) {
            for (String token : new String[] {ADMIN_TOKEN, null}) {
                var call = http.post("/api/v1/silences").body(body, "application/x-www-form-urlencoded");
                var problem = (token == null ? call : call.bearer(token)).send().problem(400);
                assertThat(problem.get("detail").asString()).as(body).contains("form body is not valid");
            }
        }
        // a well-formed form body reaches the controller, which takes JSON only
        http.post("/api/v1/silences").bearer(ADMIN_TOKEN).body("a=%C3%A9", "application/x-www-form-urlencoded")
                .send().problem(415);
    }

    @Test
    void pathsRefusedBeforeAnyControllerAreProblemJsonOnTheApiToo() throws IOException {
        // Tomcat refuses encoded slashes, backslashes and lone %s; Spring Security's firewall // and ;
        for (String path : List.of("/api/v1/incidents/a%2Fb", "/api/v1/runbooks/..%2F..%2Fetc%2Fpasswd",
                "/api/v1/incidents/%", "/api/v1/incidents/a%5Cb", "/api/v1//incidents", "/api/v1/incidents;x=1",
                "/api/v1/ingest/generic%2F")) {
            String response = rawGet(path);
            assertThat(response).as(path).startsWith("HTTP/1.1 400").contains("application/problem+json")
                    .contains("\"status\":400").doesNotContainIgnoringCase("tomcat");
        }
        // a request line over the header limit: Tomcat never learns the path, and answers as the API does
        String tooLong = rawGet("/api/v1/incidents?q=" + "a".repeat(9000));
        assertThat(tooLong).startsWith("HTTP/1.1 400").contains("application/problem+json")
                .contains("the request line (method, path and query) is too long or not valid HTTP")
                .contains("at most 8192 bytes");
        String page = rawGet("/console/incidents/a%2Fb");
        assertThat(page).startsWith("HTTP/1.1 400").contains("text/html").doesNotContainIgnoringCase("tomcat");
    }

    private String rawGet(String path) throws IOException {
        URI base = URI.create(http.baseUrl());
        try (var socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nAuthorization: Bearer " + ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
