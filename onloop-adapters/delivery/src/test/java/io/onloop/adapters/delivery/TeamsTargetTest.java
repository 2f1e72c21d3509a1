package io.onloop.adapters.delivery;

import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
}
