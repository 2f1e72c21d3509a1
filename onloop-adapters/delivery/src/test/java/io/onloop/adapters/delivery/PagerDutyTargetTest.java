package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class PagerDutyTargetTest extends WireMockTest {
    private final PagerDutyTarget target = new PagerDutyTarget();

    @Test
    void triggerUpdateAcknowledgeAndResolveShareOneDedupKey() {
        server.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202).withBody(
                "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"" + Notifications.THREAD + "\"}")));
        Map<String, String> s = Map.of("routing_key", "R0UT1NGKEY", "api_url", url());
        assertThat(target.send(Notifications.firing(1), s, Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(target.send(Notifications.firing(2), s, Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        var ack = new Acknowledgement(UUID.randomUUID(), "alice", Instant.now(), Notifications.firing(2));
        assertThat(target.showsAcknowledgements(s)).isTrue();
        assertThat(target.acknowledge(ack, s, Optional.empty()).outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(target.send(Notifications.resolved(3), s, Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        var events = requests().stream().map(WireMockTest::json).toList();
        assertThat(events).extracting(e -> e.get("event_action").asString())
                .containsExactly("trigger", "trigger", "acknowledge", "resolve");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.get("dedup_key").asString()).isEqualTo(Notifications.THREAD);
            assertThat(e.get("routing_key").asString()).isEqualTo("R0UT1NGKEY");
        });
        JsonNode payload = events.getFirst().get("payload");
        assertThat(payload.get("severity").asString()).isEqualTo("critical");
        assertThat(payload.get("source").asString()).isEqualTo("db-1");
        assertThat(payload.get("summary").asString()).startsWith("[CRITICAL]");
        assertThat(payload.get("custom_details").get("runbook").asString()).contains("df -h");
        assertThat(payload.get("custom_details").get("alerts").asString()).contains(Notifications.SUMMARY_SHOWN)
                .doesNotContain("\u202E").as("the runbook is its own detail, not sent twice").doesNotContain("df -h");
        assertThat(events.getLast().has("payload")).isFalse();
    }

    @Test
    void rateLimitIsRetriedAndABadEventIsNot() {
        server.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(429)));
        Map<String, String> s = Map.of("routing_key", "R", "api_url", url());
        assertThat(target.send(Notifications.firing(1), s, Optional.empty()).outcome()).isEqualTo(SendResult.Outcome.RETRY);
        server.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(400).withBody(
                "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"Length of 'routing_key' is incorrect\"]}")));
        SendResult bad = target.send(Notifications.firing(1), s, Optional.empty());
        assertThat(bad.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(bad.error()).contains("routing_key");
    }

    @Test
    void aBigGroupFitsPagerDutysEventLimitInBytesAsSent() {
        server.stubFor(post(urlEqualTo("/v2/enqueue")).willReturn(aResponse().withStatus(202)));
        // 40 alerts of ~7,000 CJK characters made an event of 765,915 bytes; PagerDuty takes 512 KB at most
        var big = Notifications.many(1, 40, "磁盘已满".repeat(1750), "Check `df -h` first.\n" + "步骤".repeat(20_000));
        assertThat(target.send(big, Map.of("routing_key", "R", "api_url", url()), Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        var sent = requests().getFirst();
        assertThat(sent.getBody().length).isLessThanOrEqualTo(512 * 1024);
        JsonNode details = json(sent).get("payload").get("custom_details");
        assertThat(details.get("firing").asInt()).isEqualTo(40);
        assertThat(details.get("alerts").asString()).contains("[CRITICAL]", "Alert 0", "Firing (40)",
                "more alerts of this group not listed");
        assertThat(details.get("runbook").asString()).startsWith("Check `df -h` first.");
    }
}
