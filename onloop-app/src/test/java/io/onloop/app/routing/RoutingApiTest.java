package io.onloop.app.routing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.onloop.adapters.delivery.WebhookTarget;
import io.onloop.app.AppTestBase;
import io.onloop.domain.access.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Routing end to end on the real server: the route file through the API, alerts through ingest,
 * notifications out to a real HTTP server, silences, dry runs, and dead deliveries replayed.
 */
class RoutingApiTest extends AppTestBase {
    static WireMockServer hooks;
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private String team;
    private String ingest;

    @BeforeAll
    static void startHooks() {
        hooks = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        hooks.start();
    }

    @AfterAll
    static void stopHooks() {
        hooks.stop();
    }

    @BeforeEach
    void routes() {
        hooks.resetAll();
        hooks.stubFor(post(urlEqualTo("/ok")).willReturn(aResponse().withStatus(200)));
        hooks.stubFor(post(urlEqualTo("/bad")).willReturn(aResponse().withStatus(400).withBody("unknown schema")));
        team = "routing-" + UUID.randomUUID().toString().substring(0, 8);
        ingest = source("generic");
        String yaml = """
                # routes under test; everything else goes to a receiver without targets
                route:
                  receiver: nowhere
                  group_by: [team]
                  group_wait: 1s
                  group_interval: 2s
                  routes:
                    - matchers: ['team="%s"', 'job="inbox"']
                      receiver: inbox
                    - matchers: ['team="%s"', 'job!="broken"']
                      receiver: hook
                    - matchers: ['team="%s"', 'job="broken"']
                      receiver: broken
                receivers:
                  - name: nowhere
                  - name: inbox
                    targets: [{type: inbox}]
                  - name: hook
                    targets:
                      - type: webhook
                        settings: {url: "%s/ok", secret: hook-secret}
                  - name: broken
                    targets:
                      - type: webhook
                        settings: {url: "%s/bad"}
                """.formatted(team, team, team, hooks.baseUrl(), hooks.baseUrl());
        http.put("/api/v1/routes").bearer(ADMIN_TOKEN).body(yaml, "application/yaml").send().expect(200);
    }

    private void alert(String title, String host, String job, String status) {
        http.post("/api/v1/ingest/generic").bearer(ingest).json(Map.of("title", title, "status", status,
                "severity", "high", "resource", Map.of("kind", "host", "id", host),
                "labels", Map.of("team", team, "job", job))).send().expect(202);
    }

    @Test
    void aStormOfRelatedAlertsLeavesAsOneSignedNotificationThenOneResolved() {
        for (int i = 0; i < 20; i++) {
            alert("Backup failed", "db-" + i, "pg-backup", "firing");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> !hooks.findAll(postRequestedFor(urlEqualTo("/ok"))).isEmpty());
        LoggedRequest req = hooks.findAll(postRequestedFor(urlEqualTo("/ok"))).getFirst();
        JsonNode n = JSON.readTree(req.getBodyAsString());
        assertThat(n.get("status").asString()).isEqualTo("firing");
        assertThat(n.get("firing").size()).isEqualTo(20);
        assertThat(n.get("group_labels").get("team").asString()).isEqualTo(team);
        // the incident's runbook recipe travels with the notification
        assertThat(n.get("runbook").asString()).startsWith("Runbook (").contains("First check: ")
                .contains("\nValidate:\n1. ").contains("\nRemediation:\n1. ");
        assertThat(req.getHeader("X-Onloop-Signature")).isEqualTo("sha256=" + WebhookTarget.sign("hook-secret",
                req.getHeader("X-Onloop-Timestamp") + "." + req.getBodyAsString()));

        for (int i = 0; i < 20; i++) {
            alert("Backup failed", "db-" + i, "pg-backup", "resolved");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> hooks.findAll(postRequestedFor(urlEqualTo("/ok"))).size() >= 2);
        List<LoggedRequest> all = hooks.findAll(postRequestedFor(urlEqualTo("/ok")));
        JsonNode last = JSON.readTree(all.getLast().getBodyAsString());
        assertThat(last.get("status").asString()).isEqualTo("resolved");
        assertThat(last.get("thread_key").asString()).isEqualTo(n.get("thread_key").asString());
        assertThat(last.get("resolved").size()).isEqualTo(20);
        // nothing in between: 40 events, 2 notifications
        assertThat(all).hasSize(2);
    }

    @Test
    void theRouteFileIsAdminOnlyAndBadFilesAreRefusedWithPlaces() {
        String viewer = apiToken(Role.VIEWER);
        http.get("/api/v1/routes").bearer(viewer).send().problem(403);
        String yaml = http.get("/api/v1/routes").bearer(ADMIN_TOKEN).send().expect(200).body();
        assertThat(yaml).startsWith("# routes under test").contains(team);

        JsonNode p = http.put("/api/v1/routes").bearer(ADMIN_TOKEN).body("""
                route:
                  receiver: ops
                  group_wait: soon
                receivers:
                  - name: ops
                    targets:
                      - type: webhook
                        settings: {url: not-a-url}
                """, "application/yaml").send().problem(400);
        assertThat(p.get("title").asString()).isEqualTo("Invalid route file");
        JsonNode errors = p.get("errors");
        assertThat(errors.size()).isEqualTo(2);
        assertThat(errors.get(0).get("path").asString()).isEqualTo("route.group_wait");
        assertThat(errors.get(0).get("line").asInt()).isEqualTo(3);
        assertThat(errors.get(0).get("column").asInt()).isEqualTo(15);
        assertThat(errors.get(1).get("path").asString()).isEqualTo("receivers[0].targets[0].settings.url");
        // the refused file changed nothing
        assertThat(http.get("/api/v1/routes").bearer(ADMIN_TOKEN).send().expect(200).body()).contains(team);
        http.post("/api/v1/routes/validate").bearer(ADMIN_TOKEN).body("route: [", "application/yaml").send()
                .problem(400);
        assertThat(http.post("/api/v1/routes/validate").bearer(ADMIN_TOKEN)
                .body("# " + "x".repeat(RouteActions.MAX_FILE) + "\n", "application/yaml").send().problem(413)
                .get("detail").asString()).isEqualTo("a route file is at most 1000000 characters");
        JsonNode targets = http.get("/api/v1/targets").bearer(viewer).send().expect(200).json();
        assertThat(targets.findValuesAsString("type")).contains("webhook", "slack", "email", "teams", "pagerduty",
                "zendesk", "jira", "inbox");
        JsonNode webhook = null;
        for (JsonNode t : targets) {
            if (t.get("type").asString().equals("webhook")) {
                webhook = t;
            }
        }
        assertThat(webhook.get("settings").get(0).get("name").asString()).isEqualTo("url");
        assertThat(webhook.get("settings").get(0).get("required").asBoolean()).isTrue();
        assertThat(webhook.get("settings").get(1).get("secret").asBoolean()).isTrue();
        assertThat(webhook.get("settings").get(1).get("help").asString()).contains("HMAC");
        assertThat(http.get("/api/v1/audit").bearer(ADMIN_TOKEN).send().expect(200).body()).contains("routes.update");
    }

    @Test
    void aDryRunOfSeveralAlertsJudgesEachWithTheOthersAsTheyWouldArriveTogether() {
        String yaml = """
                route:
                  receiver: hook
                receivers:
                  - name: hook
                    targets: [{type: webhook, settings: {url: "%s/ok"}}]
                inhibit_rules:
                  - source_matchers: ['severity="critical"']
                    target_matchers: ['severity=~"medium|low"']
                    equal: [resource]
                """.formatted(hooks.baseUrl());
        http.put("/api/v1/routes").bearer(ADMIN_TOKEN).body(yaml, "application/yaml").send().expect(200);
        String host = "host-" + team;
        var body = Map.of("events", List.of(
                Map.of("title", "Host down", "severity", "critical", "resource", host, "fingerprint", team + "-down",
                        "labels", Map.of("team", team)),
                Map.of("title", "Disk slow", "severity", "medium", "resource", host, "fingerprint", team + "-slow",
                        "labels", Map.of("team", team))));

        JsonNode runs = http.post("/api/v1/routes/dry-run").bearer(apiToken(Role.VIEWER)).json(body).send().expect(200).json();

        assertThat(runs.get(0).get("matches").get(0).get("suppressed").asBoolean()).isFalse();
        JsonNode slow = runs.get(1).get("matches").get(0);
        assertThat(slow.get("suppressed").asBoolean()).as("the critical alert beside it mutes it, as at delivery").isTrue();
        assertThat(slow.get("suppressedBy").get("kind").asString()).isEqualTo("inhibition");
    }

    @Test
    void dryRunExplainsAndSilencesHoldUntilExpired() {
        String responder = apiToken(Role.RESPONDER);
        Map<String, Object> alert = Map.of("title", "Backup failed", "status", "firing", "severity", "high",
                "labels", Map.of("team", team, "job", "pg-backup"));
        JsonNode run = http.post("/api/v1/routes/dry-run").bearer(apiToken(Role.VIEWER)).json(alert).send()
                .expect(200).json().get(0);
        JsonNode m = run.get("matches").get(0);
        assertThat(m.get("route").asString()).isEqualTo("root.1");
        assertThat(m.get("receiver").asString()).isEqualTo("hook");
        assertThat(m.get("targets").get(0).asString()).isEqualTo("webhook:webhook-0");
        assertThat(m.get("groupLabels").get("team").asString()).isEqualTo(team);
        assertThat(m.get("suppressed").asBoolean()).isFalse();
        assertThat(run.get("trace").toString()).contains("root.0: no match").contains("root.1: matched");
        // a generic body of many alerts: explained up to a bound, so that the answer stays readable
        var many = new java.util.ArrayList<Object>();
        for (int i = 0; i < 1001; i++) {
            many.add(alert);
        }
        assertThat(http.post("/api/v1/routes/dry-run").bearer(apiToken(Role.VIEWER)).json(Map.of("events", many))
                .send().problem(400).get("detail").asString()).contains("at most 1000 alerts; this has 1001");

        http.post("/api/v1/silences").bearer(apiToken(Role.VIEWER)).json(Map.of("matchers", List.of("team=\"x\""),
                "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c")).send().problem(403);
        http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers", List.of("team=~\"(\""),
                "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c")).send().problem(400);
        http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers", List.of("team=~\".*\""),
                "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c")).send().problem(400);
        assertThat(http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers", List.of("alertname!=\"\""),
                "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c")).send().problem(400)
                .get("detail").asString()).as("every alert has a name").contains("match every alert");
        assertThat(http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers", List.of("severity!=\"info\""),
                "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c")).send().problem(400)
                .get("detail").asString()).as("Alertmanager's rule: one matcher must need a value")
                .contains("add one that needs a value");
        assertThat(http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers",
                List.of("team=\"x\",job=\"y\""), "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c"))
                .send().problem(400).get("parameter").asString()).as("two matchers in one").isEqualTo("matchers[0]");
        // times PostgreSQL cannot store are refused on every store (they were a 500 there)
        assertThat(http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers", List.of("team=\"x\""),
                "endsAt", "+999999999-12-31T23:59:59Z", "comment", "c")).send().problem(400).get("parameter").asString())
                .isEqualTo("endsAt");
        assertThat(http.post("/api/v1/silences").bearer(responder).json(Map.of("matchers", List.of("team=\"x\""),
                "startsAt", "-5000-01-01T00:00:00Z", "endsAt", Instant.now().plusSeconds(60).toString(), "comment", "c"))
                .send().problem(400).get("parameter").asString()).isEqualTo("startsAt");
        JsonNode silence = http.post("/api/v1/silences").bearer(responder).json(Map.of(
                "matchers", List.of("team=\"" + team + "\""), "endsAt", Instant.now().plusSeconds(3600).toString(),
                "comment", "restoring backups")).send().expect(201).json();
        assertThat(silence.get("state").asString()).isEqualTo("active");
        JsonNode held = http.post("/api/v1/routes/dry-run").bearer(responder).json(alert).send().expect(200).json()
                .get(0).get("matches").get(0);
        assertThat(held.get("suppressed").asBoolean()).isTrue();
        assertThat(held.get("suppressedBy").get("kind").asString()).isEqualTo("silence");
        assertThat(held.get("suppressedBy").get("reason").asString()).contains("restoring backups");

        String id = silence.get("id").asString();
        // expired by several people at once: once
        List<Integer> statuses;
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> http.post("/api/v1/silences/" + id + "/expire").bearer(responder).send().status()));
            }
            statuses = new java.util.ArrayList<>();
            for (var a : answers) {
                statuses.add(a.get());
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        assertThat(statuses).containsOnlyOnce(200).filteredOn(st -> st != 200).containsOnly(409);
        JsonNode expired = http.get("/api/v1/silences?state=expired").bearer(responder).send().expect(200).json();
        assertThat(expired.toString()).contains(id);
        assertThat(http.post("/api/v1/routes/dry-run").bearer(responder).json(alert).send().expect(200).json()
                .get(0).get("matches").get(0).get("suppressed").asBoolean()).isFalse();
        assertThat(http.get("/api/v1/silences?state=expired").bearer(responder).send().expect(200).body()).contains(id);
        assertThat(http.get("/api/v1/silences").bearer(responder).send().expect(200).body()).doesNotContain(id);
        String audit = http.get("/api/v1/audit").bearer(ADMIN_TOKEN).send().expect(200).body();
        assertThat(audit).contains("silence.create").contains("silence.expire");
        JsonNode entries = http.get("/api/v1/audit?limit=500").bearer(ADMIN_TOKEN).send().expect(200).json().get("items");
        assertThat(entries.values()).as("one expire, audited once")
                .filteredOn(a -> a.get("action").asString().equals("silence.expire") && a.get("targetId").asString().equals(id))
                .hasSize(1);
    }

    @Test
    void aRefusedDeliveryIsDeadWithItsErrorAndCanBeReplayed() {
        alert("Cron broken", "cron-1", "broken", "firing");
        JsonNode dead = await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/api/v1/deliveries?status=dead")
                        .bearer(ADMIN_TOKEN).send().expect(200).json(),
                list -> list.toString().contains("unknown schema"));
        JsonNode d = null;
        for (JsonNode x : dead.get("items")) {
            if (x.get("lastError").asString().contains("unknown schema")) {
                d = x;
            }
        }
        assertThat(d.get("lastError").asString()).isEqualTo("HTTP 400: unknown schema");
        assertThat(d.get("target").asString()).isEqualTo("broken/webhook-0");
        String id = d.get("id").asString();
        http.post("/api/v1/deliveries/" + id + "/replay").bearer(apiToken(Role.VIEWER)).send().problem(403);
        hooks.stubFor(post(urlEqualTo("/bad")).willReturn(aResponse().withStatus(200)));
        http.post("/api/v1/deliveries/" + id + "/replay").bearer(apiToken(Role.RESPONDER)).send().expect(200);
        await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/api/v1/deliveries?status=delivered&limit=500")
                .bearer(ADMIN_TOKEN).send().expect(200).body().contains(id));
        http.post("/api/v1/deliveries/" + id + "/replay").bearer(ADMIN_TOKEN).send().problem(409);
        http.get("/api/v1/deliveries?status=lost").bearer(ADMIN_TOKEN).send().problem(400);
        http.get("/api/v1/deliveries?limit=1000").bearer(ADMIN_TOKEN).send().problem(400);
        http.get("/api/v1/deliveries?cursor=garbage").bearer(ADMIN_TOKEN).send().problem(400);
        assertThat(http.get("/api/v1/deliveries?status=all&limit=500").bearer(ADMIN_TOKEN).send().expect(200).body())
                .as("every status").contains(id);
        assertThat(hooks.findAll(postRequestedFor(urlEqualTo("/bad")))).hasSize(2);
    }

    @Test
    void theInboxOpensOneTicketPerGroupThatPeopleWorkAndResolutionCloses() {
        alert("Queue backlog", "mq-1", "inbox", "firing");
        alert("Queue backlog", "mq-2", "inbox", "firing");
        String responder = apiToken(Role.RESPONDER);
        JsonNode ticket = await().atMost(Duration.ofSeconds(15)).until(() -> {
            for (JsonNode t : http.get("/api/v1/tickets?status=open").bearer(responder).send().expect(200).json()) {
                if (t.get("body").asString().contains("mq-1") || t.get("body").asString().contains("mq-2")) {
                    return t;
                }
            }
            return null;
        }, t -> t != null);
        String id = ticket.get("id").asString();
        assertThat(ticket.get("title").asString()).startsWith("Queue backlog");
        http.post("/api/v1/tickets/" + id + "/assign").bearer(apiToken(Role.VIEWER)).json(Map.of("assignee", "ana"))
                .send().problem(403);
        assertThat(http.post("/api/v1/tickets/" + id + "/assign").bearer(responder).json(Map.of("assignee", "ana"))
                .send().expect(200).json().get("assignee").asString()).isEqualTo("ana");
        http.post("/api/v1/tickets/" + id + "/comments").bearer(responder).json(Map.of("text", "draining the queue"))
                .send().expect(201);
        http.post("/api/v1/tickets/" + id + "/comments").bearer(responder).json(Map.of("text", " ")).send().problem(400);

        alert("Queue backlog", "mq-1", "inbox", "resolved");
        alert("Queue backlog", "mq-2", "inbox", "resolved");
        JsonNode closed = await().atMost(Duration.ofSeconds(15)).until(() -> http.get("/api/v1/tickets/" + id)
                .bearer(responder).send().expect(200).json(), d -> d.get("ticket").get("status").asString().equals("closed"));
        assertThat(closed.get("ticket").get("closedBy").asString()).isEqualTo("onloop");
        assertThat(closed.get("comments").findValuesAsString("author")).contains("onloop");
        assertThat(closed.get("comments").toString()).contains("draining the queue");
        http.post("/api/v1/tickets/" + id + "/close").bearer(responder).send().problem(409);
        http.get("/api/v1/tickets/" + UUID.randomUUID()).bearer(responder).send().problem(404);
        assertThat(http.get("/api/v1/tickets").bearer(responder).send().expect(200).json().findValuesAsString("id")
                .stream().filter(id::equals)).hasSize(1);
    }
}
