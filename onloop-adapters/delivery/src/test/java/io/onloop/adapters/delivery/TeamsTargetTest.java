package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class TeamsTargetTest extends WireMockTest {

    @Test
    void postsAnAdaptiveCardWithEscapedText() {
        server.stubFor(post(urlPathEqualTo("/workflows/abc/triggers/manual/paths/invoke"))
                .willReturn(aResponse().withStatus(202)));
        SendResult r = new TeamsTarget().send(Notifications.firing(2), Map.of("webhook_url",
                url() + "/workflows/abc/triggers/manual/paths/invoke?api-version=1&sig=x"), Optional.empty());
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        JsonNode m = json(requests().getFirst());
        assertThat(m.get("type").asString()).isEqualTo("message");
        JsonNode att = m.get("attachments").get(0);
        assertThat(att.get("contentType").asString()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = att.get("content");
        assertThat(card.get("type").asString()).isEqualTo("AdaptiveCard");
        assertThat(card.get("version").asString()).isEqualTo("1.4");
        String head = card.get("body").get(0).get("text").asString();
        assertThat(head).contains("\\*Disk\\*").contains("\\[x\\]\\(http://e\\)").doesNotContain(" *Disk* ");
        assertThat(card.get("body").get(1).get("text").asString()).contains("Update 2");
        assertThat(card.toString()).contains("Runbook").contains("202E").doesNotContain("\u202E");
    }

    @Test
    void aGroupOfHundredsOfAlertsStaysWithinACardsSizeWhateverItsTextEscapesTo() {
        server.stubFor(post(urlPathEqualTo("/hook")).willReturn(aResponse().withStatus(202)));
        // escaping doubles a '.' or '\\', and a bidi control becomes \\[U\\+202E\\]: cut before escaping, these grew
        for (String title : List.of("Disk full ".repeat(100), "\u202E".repeat(400), "\\".repeat(400), ".".repeat(400),
                "磁盘已满".repeat(100))) {
            server.resetRequests();
            var many = new java.util.ArrayList<io.onloop.domain.routing.AlertSnapshot>();
            for (int i = 0; i < 300; i++) {
                many.add(Notifications.alert("fp" + i, true, title + i));
            }
            var n = Notifications.firing(1);
            var big = new io.onloop.domain.routing.Notification(n.tenantId(), n.receiver(), n.routeKey(), n.groupLabels(),
                    n.threadKey(), 1, n.status(), many, List.of(), n.at(), title.repeat(50));
            assertThat(new TeamsTarget().send(big, Map.of("webhook_url", url() + "/hook"), Optional.empty()).outcome())
                    .isEqualTo(SendResult.Outcome.DELIVERED);
            String body = requests().getFirst().getBodyAsString();
            assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).as(title.substring(0, 1))
                    .isLessThan(28_000);
            JsonNode card = json(requests().getFirst()).get("attachments").get(0).get("content");
            int facts = card.get("body").get(1).get("facts").size();
            assertThat(facts).isBetween(1, 25);
            assertThat(card.toString()).contains("and " + (300 - facts) + " more alerts in this group")
                    .doesNotContain("\u202E");
        }
    }
}
