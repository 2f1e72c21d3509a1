package io.onloop.adapters.delivery;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.onloop.domain.delivery.Acknowledgement;
import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class SlackTargetTest extends WireMockTest {
    private final SlackTarget target = new SlackTarget();

    private Map<String, String> bot() {
        return Map.of("bot_token", "xoxb-test", "channel", "#ops", "api_url", url() + "/api");
    }

    @Test
    void firstMessageThenThreadedRepliesAndTheParentShowsResolved() {
        server.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\"}")));
        server.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\"}")));
        SendResult first = target.send(Notifications.firing(1), bot(), Optional.empty());
        assertThat(first.threadRef()).isEqualTo("C024BE91L/1503435956.000247");
        LoggedRequest post = requests().getFirst();
        assertThat(post.getHeader("Authorization")).isEqualTo("Bearer xoxb-test");
        JsonNode msg = json(post);
        assertThat(msg.get("channel").asString()).isEqualTo("#ops");
        assertThat(msg.has("thread_ts")).isFalse();
        String all = msg.toString();
        // escaped: no mention, no link can form from sender text
        assertThat(all).doesNotContain("<!channel>").doesNotContain("<https://evil");
        assertThat(msg.get("blocks").get(1).get("text").get("text").asString())
                .contains("&lt;!channel&gt; *Disk* &lt;https://evil.example|click&gt; &amp;");
        assertThat(msg.get("blocks").get(0).get("text").get("type").asString()).isEqualTo("plain_text");
        assertThat(msg.get("blocks").get(1).get("text").get("verbatim").asBoolean()).as("no auto-links").isTrue();
        assertThat(all).contains("Runbook").contains("free space &lt;now&gt;");
        assertThat(all).contains(Notifications.SUMMARY_SHOWN).doesNotContain("\u202E");

        server.resetRequests();
        SendResult done = target.send(Notifications.resolved(2), bot(), Optional.of(first.threadRef()));
        assertThat(done.outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        List<LoggedRequest> calls = requests();
        assertThat(calls).extracting(LoggedRequest::getUrl).containsExactlyInAnyOrder("/api/chat.postMessage",
                "/api/chat.update");
        for (LoggedRequest r : calls) {
            JsonNode body = json(r);
            assertThat(body.get("channel").asString()).isEqualTo("C024BE91L");
            if (r.getUrl().endsWith("postMessage")) {
                assertThat(body.get("thread_ts").asString()).isEqualTo("1503435956.000247");
            } else {
                assertThat(body.get("ts").asString()).isEqualTo("1503435956.000247");
                assertThat(body.get("text").asString()).startsWith("Resolved");
            }
        }
    }

    @Test
    void anAcknowledgementEditsTheFirstMessageAndOnlyABotTokenCanShowIt() {
        server.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\"}")));
        var ack = new Acknowledgement(UUID.randomUUID(), "<!here> mallory", Instant.parse("2026-03-02T10:05:00.5Z"),
                Notifications.firing(2));
        assertThat(target.showsAcknowledgements(bot())).isTrue();
        assertThat(target.showsAcknowledgements(Map.of("webhook_url", url() + "/hook"))).isFalse();

        SendResult r = target.acknowledge(ack, bot(), Optional.of("C024BE91L/1503435956.000247"));
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(requests()).extracting(LoggedRequest::getUrl).containsExactly("/api/chat.update");
        JsonNode body = json(requests().getFirst());
        assertThat(body.get("channel").asString()).isEqualTo("C024BE91L");
        assertThat(body.get("ts").asString()).isEqualTo("1503435956.000247");
        assertThat(body.get("blocks").get(1).get("text").get("text").asString())
                .isEqualTo(":eyes: Acknowledged by *&lt;!here&gt; mallory* at 2026-03-02T10:05:00Z");
        assertThat(body.get("text").asString()).startsWith("CRITICAL");

        // no first message to edit: dead at once, nothing sent
        server.resetRequests();
        assertThat(target.acknowledge(ack, bot(), Optional.empty()).outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(requests()).isEmpty();
    }

    @Test
    void slackErrorsInsideA200AreRetriedOrNotAsSlackDocumentsThem() {
        server.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":false,\"error\":\"channel_not_found\"}")));
        SendResult r = target.send(Notifications.firing(1), bot(), Optional.empty());
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(r.error()).isEqualTo("slack: channel_not_found");
        server.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "30").withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));
        SendResult limited = target.send(Notifications.firing(1), bot(), Optional.empty());
        assertThat(limited.outcome()).isEqualTo(SendResult.Outcome.RETRY);
        assertThat(limited.retryAfter()).hasSeconds(30);
    }

    @Test
    void anUpdateRetriedAfterARateLimitIsNotRepliedTwice() {
        server.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(aResponse().withStatus(429)
                .withHeader("Retry-After", "5").withBody("{\"ok\":false,\"error\":\"ratelimited\"}")));
        server.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000300\"}")));
        var thread = Optional.of("C024BE91L/1503435956.000247");
        assertThat(target.send(Notifications.firing(2), bot(), thread).outcome()).isEqualTo(SendResult.Outcome.RETRY);
        server.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000247\"}")));
        assertThat(target.send(Notifications.firing(2), bot(), thread).outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        // the retry edited the first message again, which changes nothing, and replied once in all
        assertThat(requests()).extracting(LoggedRequest::getUrl).filteredOn(u -> u.endsWith("postMessage")).hasSize(1);
    }

    @Test
    void anEditSlackRefusesForGoodDoesNotHoldBackTheReply() {
        server.stubFor(post(urlEqualTo("/api/chat.update")).willReturn(okJson("{\"ok\":false,\"error\":\"message_not_found\"}")));
        server.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson(
                "{\"ok\":true,\"channel\":\"C024BE91L\",\"ts\":\"1503435956.000300\"}")));
        assertThat(target.send(Notifications.resolved(3), bot(), Optional.of("C024BE91L/1503435956.000247")).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(requests()).extracting(LoggedRequest::getUrl).filteredOn(u -> u.endsWith("postMessage")).hasSize(1);
    }

    @Test
    void aHeaderStaysWithinSlacksLimitOnceEscapedAndIsNeverCutInsideAnEscape() {
        var n = Notifications.firing(1);
        var lt = new io.onloop.domain.routing.Notification(n.tenantId(), n.receiver(), n.routeKey(), n.groupLabels(),
                n.threadKey(), 1, n.status(), List.of(Notifications.alert("fp1", true, "<".repeat(200) + "\u202E")),
                List.of(), n.at(), "");
        String header = SlackTarget.message(lt).get("blocks").get(0).get("text").get("text").asString();
        assertThat(header.length()).isLessThanOrEqualTo(150);
        assertThat(header).endsWith("&lt;…").startsWith("CRITICAL: &lt;&lt;");
        assertThat(Markup.slack("a&b", 6)).as("&amp; does not fit before the mark: not cut into").isEqualTo("a…");
        assertThat(Markup.slack("a&bc", 7)).isEqualTo("a&amp;…");
        assertThat(Markup.slack("a&b", 7)).isEqualTo("a&amp;b");
        // a bidi control's name is not cut in half: the cut falls before it or after it
        assertThat(Markup.adaptiveCard("ab\u202Ecd", 8)).isEqualTo("ab…");
        assertThat(Markup.adaptiveCard("ab\u202Ecd", 14)).isEqualTo("ab\\[U\\+202E\\]…");
        assertThat(Markup.slack("ab\u202Ecd", 9)).isEqualTo("ab…");
        assertThat(Markup.slack("ab\u202Ecd", 11)).isEqualTo("ab[U+202E]…");
        assertThat(SlackTarget.wholeLines("one &amp; two\nthree &lt; four\n", 20)).isEqualTo("one &amp; two\n…");
        assertThat(SlackTarget.wholeLines("x".repeat(15) + "&amp;yyy", 20)).isEqualTo("x".repeat(15) + "…");
    }

    @Test
    void incomingWebhookPostsBlocks() {
        server.stubFor(post(urlEqualTo("/services/T0/B0/x")).willReturn(aResponse().withStatus(200).withBody("ok")));
        SendResult r = target.send(Notifications.firing(1), Map.of("webhook_url", url() + "/services/T0/B0/x"),
                Optional.empty());
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(json(requests().getFirst()).get("blocks").size()).isGreaterThanOrEqualTo(3);
        assertThat(target.send(Notifications.firing(1), Map.of(), Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.FAILED);
    }

    @Test
    void longGroupLabelsStayWithinTheContextBlocksLimitForBothWaysIn() {
        server.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200).withBody("ok")));
        server.stubFor(post(urlEqualTo("/api/chat.postMessage")).willReturn(okJson("{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1.2\"}")));
        var n = Notifications.firing(1);
        // 1000 + 1000 + 1000 + 500 characters made a 3,601-character context; '&' escapes to five
        var long_ = new io.onloop.domain.routing.Notification(n.tenantId(), n.receiver(), n.routeKey(),
                Map.of("a", "x".repeat(1000), "b", "y".repeat(1000), "c", "&".repeat(1000), "d", "z".repeat(500)),
                n.threadKey(), 1, n.status(), n.firing(), n.resolved(), n.at(), n.runbook());
        assertThat(target.send(long_, Map.of("webhook_url", url() + "/hook"), Optional.empty()).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(target.send(long_, bot(), Optional.empty()).outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(requests()).hasSize(2).allSatisfy(r -> {
            JsonNode blocks = json(r).get("blocks");
            String context = blocks.get(blocks.size() - 1).get("elements").get(0).get("text").asString();
            assertThat(context.length()).isLessThanOrEqualTo(3000);
            assertThat(context).startsWith("a=xxx").contains("…").endsWith("1 firing, 0 resolved · update 1");
        });
    }
}
