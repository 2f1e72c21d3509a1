package io.onloop.app.routing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.onloop.app.AppTestBase;
import io.onloop.domain.access.Role;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.DeliveryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A person acknowledges an incident through the API: the PagerDuty alert of the incident's
 * notification thread is acknowledged too (same dedup_key), through the outbox, so a PagerDuty
 * outage delays it but it arrives once; the Slack thread's first message shows who acknowledged.
 * Real server, real outbox and worker, a real HTTP server speaking the Events API v2 and Slack's.
 */
class AcknowledgementDeliveryTest extends AppTestBase {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static WireMockServer vendor;
    @Autowired
    DeliveryStore deliveries;

    @BeforeAll
    static void start() {
        vendor = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        vendor.start();
    }

    @AfterAll
    static void stop() {
        vendor.stop();
    }

    private void alert(String ingest, String team, String status) {
        http.post("/api/v1/ingest/generic").bearer(ingest).json(Map.of("title", "Replication lag", "status", status,
                "severity", "critical", "resource", Map.of("kind", "host", "id", "db-" + team),
                "labels", Map.of("team", team))).send().expect(202);
    }

    private List<JsonNode> pagerDutyEvents(int status) {
        return vendor.getAllServeEvents().reversed().stream() // WireMock lists newest first
                .filter(e -> e.getRequest().getUrl().equals("/v2/enqueue"))
                .filter(e -> status == 0 || e.getResponse().getStatus() == status)
                .map(ServeEvent::getRequest).map(r -> JSON.readTree(r.getBodyAsString())).toList();
    }

    private static List<String> actions(List<JsonNode> events) {
        return events.stream().map(e -> e.get("event_action").asString()).toList();
    }

    /** A person acknowledges from the console during group_wait: the page that follows is acknowledged too. */
    @Test
    void anIncidentAcknowledgedBeforeItsFirstNotificationIsAcknowledgedRightAfterIt() {
        vendor.resetAll();
        vendor.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
        String team = "early-" + UUID.randomUUID().toString().substring(0, 8);
        http.put("/api/v1/routes").bearer(ADMIN_TOKEN).body("""
                route:
                  receiver: nowhere
                  group_by: [team]
                  routes:
                    - matchers: ['team="%s"']
                      receiver: pager
                      group_wait: 4s
                receivers:
                  - name: nowhere
                  - name: pager
                    targets:
                      - type: pagerduty
                        settings: {routing_key: R0UT1NGKEY, api_url: "%s"}
                """.formatted(team, vendor.baseUrl()), "application/yaml").send().expect(200);
        String incident = http.post("/api/v1/ingest/generic").bearer(source("generic")).header("Prefer", "wait=10")
                .json(Map.of("title", "Replication lag", "status", "firing", "severity", "critical",
                        "resource", Map.of("kind", "host", "id", "db-" + team), "labels", Map.of("team", team)))
                .send().expect(202).json().get("incidentIds").get(0).asString();
        http.post("/api/v1/incidents/" + incident + "/acknowledge").bearer(apiToken(Role.RESPONDER)).send().expect(200);
        assertThat(actions(pagerDutyEvents(0))).as("acknowledged within group_wait: nothing sent yet").isEmpty();

        await().atMost(Duration.ofSeconds(30)).until(() -> actions(pagerDutyEvents(202)).contains("acknowledge"));
        assertThat(actions(pagerDutyEvents(202))).containsExactly("trigger", "acknowledge");
        assertThat(pagerDutyEvents(202)).extracting(e -> e.get("dedup_key").asString()).containsOnly(
                pagerDutyEvents(202).getFirst().get("dedup_key").asString());
    }

    @Test
    void acknowledgingAnIncidentAcknowledgesItsPagerDutyAlertOnceThroughAnOutage() {
        vendor.resetAll();
        // PagerDuty is down for the first acknowledge, then takes it
        vendor.stubFor(post(urlEqualTo("/v2/enqueue")).atPriority(1)
                .withRequestBody(matchingJsonPath("$.event_action", equalTo("acknowledge")))
                .inScenario("outage").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")).willSetStateTo("back"));
        vendor.stubFor(post(urlEqualTo("/v2/enqueue")).atPriority(5).willReturn(aResponse().withStatus(202)
                .withBody("{\"status\":\"success\",\"message\":\"Event processed\"}")));
        vendor.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\"}")));
        vendor.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\"}")));
        String team = "ack-" + UUID.randomUUID().toString().substring(0, 8);
        http.put("/api/v1/routes").bearer(ADMIN_TOKEN).body("""
                route:
                  receiver: nowhere
                  group_by: [team]
                  group_wait: 1s
                  group_interval: 1s
                  routes:
                    - matchers: ['team="%s"']
                      receiver: pager
                receivers:
                  - name: nowhere
                  - name: pager
                    targets:
                      - type: pagerduty
                        settings: {routing_key: R0UT1NGKEY, api_url: "%s"}
                      - type: slack
                        settings: {bot_token: xoxb-test, channel: C024BE91L, api_url: "%s/api"}
                """.formatted(team, vendor.baseUrl(), vendor.baseUrl()), "application/yaml").send().expect(200);
        String ingest = source("generic");

        String incident = http.post("/api/v1/ingest/generic").bearer(ingest).header("Prefer", "wait=10")
                .json(Map.of("title", "Replication lag", "status", "firing", "severity", "critical",
                        "resource", Map.of("kind", "host", "id", "db-" + team), "labels", Map.of("team", team)))
                .send().expect(202).json().get("incidentIds").get(0).asString();
        await().atMost(Duration.ofSeconds(15)).until(() -> actions(pagerDutyEvents(202)).contains("trigger"));
        String dedupKey = pagerDutyEvents(202).getFirst().get("dedup_key").asString();

        http.post("/api/v1/incidents/" + incident + "/acknowledge").bearer(apiToken(Role.RESPONDER)).send().expect(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> actions(pagerDutyEvents(202)).contains("acknowledge"));

        alert(ingest, team, "resolved");
        await().atMost(Duration.ofSeconds(15)).until(() -> actions(pagerDutyEvents(202)).contains("resolve"));

        // the acknowledge failed once (503), was retried, and was taken once; the resolve came after it
        assertThat(actions(pagerDutyEvents(503))).containsExactly("acknowledge");
        assertThat(actions(pagerDutyEvents(202))).containsExactly("trigger", "acknowledge", "resolve");
        assertThat(pagerDutyEvents(0)).allSatisfy(e -> {
            assertThat(e.get("dedup_key").asString()).isEqualTo(dedupKey);
            assertThat(e.get("routing_key").asString()).isEqualTo("R0UT1NGKEY");
        });

        // Slack: the thread's first message now says who acknowledged it
        List<LoggedRequest> updates = vendor.findAll(postRequestedFor(urlEqualTo("/api/chat.update")));
        assertThat(updates).anySatisfy(r -> {
            JsonNode body = JSON.readTree(r.getBodyAsString());
            assertThat(body.get("ts").asString()).isEqualTo("1503435956.000247");
            assertThat(body.get("blocks").get(1).get("text").get("text").asString()).startsWith(":eyes: Acknowledged by *");
        });

        // nothing left pending on the thread once the resolve has gone to every target (Slack's may trail
        // PagerDuty's by a moment), and nothing dead
        await().atMost(Duration.ofSeconds(15)).until(() -> deliveries.deliveries(TENANT, DeliveryStatus.PENDING, 1000)
                .stream().noneMatch(d -> d.threadKey().equals(dedupKey)));
        assertThat(deliveries.deliveries(TENANT, DeliveryStatus.DEAD, 1000)).noneMatch(d -> d.threadKey().equals(dedupKey));
    }
}
