package io.onloop.adapters.delivery;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Base64;
import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class ZendeskTargetTest extends WireMockTest {
    private final ZendeskTarget target = new ZendeskTarget();

    private Map<String, String> settings() {
        return Map.of("url", url(), "email", "agent@acme.example", "api_token", "tok");
    }

    @Test
    void createsCommentsAndSolvesOneTicket() {
        server.stubFor(get(urlPathEqualTo("/api/v2/tickets.json")).willReturn(okJson("{\"tickets\":[],\"count\":0}")));
        server.stubFor(post(urlEqualTo("/api/v2/tickets.json")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"ticket\":{\"id\":35436,\"status\":\"new\"}}")));
        server.stubFor(put(urlEqualTo("/api/v2/tickets/35436.json")).willReturn(okJson("{\"ticket\":{\"id\":35436}}")));

        SendResult created = target.send(Notifications.firing(1), settings(), Optional.empty());
        assertThat(created.threadRef()).isEqualTo("35436");
        LoggedRequest create = server.findAll(com.github.tomakehurst.wiremock.client.WireMock
                .postRequestedFor(urlEqualTo("/api/v2/tickets.json"))).getFirst();
        assertThat(create.getHeader("Authorization")).isEqualTo("Basic " + Base64.getEncoder()
                .encodeToString("agent@acme.example/token:tok".getBytes()));
        assertThat(create.getHeader("Idempotency-Key")).isEqualTo(Notifications.firing(1).dedupKey());
        JsonNode t = json(create).get("ticket");
        assertThat(t.get("external_id").asString()).isEqualTo(Notifications.THREAD);
        assertThat(t.get("priority").asString()).isEqualTo("urgent");
        assertThat(t.get("comment").get("body").asString()).contains(Notifications.EVIL_TITLE).contains("df -h");

        server.resetRequests();
        target.send(Notifications.firing(2), settings(), Optional.of("35436"));
        target.send(Notifications.resolved(3), settings(), Optional.of("35436"));
        var puts = requests();
        assertThat(puts).hasSize(2).allSatisfy(r -> assertThat(r.getUrl()).isEqualTo("/api/v2/tickets/35436.json"));
        assertThat(json(puts.get(0)).get("ticket").get("comment").get("public").asBoolean()).isFalse();
        assertThat(json(puts.get(0)).get("ticket").has("status")).isFalse();
        assertThat(json(puts.get(1)).get("ticket").get("status").asString()).isEqualTo("solved");
    }

    @Test
    void aRetryAfterALostResponseFindsTheTicketInsteadOfOpeningASecond() {
        server.stubFor(get(urlPathEqualTo("/api/v2/tickets.json")).willReturn(okJson(
                "{\"tickets\":[{\"id\":777,\"external_id\":\"" + Notifications.THREAD + "\"}],\"count\":1}")));
        SendResult r = target.send(Notifications.firing(1), settings(), Optional.empty());
        assertThat(r.threadRef()).isEqualTo("777");
        assertThat(requests()).extracting(LoggedRequest::getMethod).extracting(Object::toString).containsExactly("GET");
        assertThat(requests().getFirst().queryParameter("external_id").firstValue()).isEqualTo(Notifications.THREAD);
    }

    @Test
    void aBigGroupFitsZendesksCommentLimitInBytesAsSent() {
        server.stubFor(get(urlPathEqualTo("/api/v2/tickets.json")).willReturn(okJson("{\"tickets\":[]}")));
        server.stubFor(post(urlEqualTo("/api/v2/tickets.json")).willReturn(okJson("{\"ticket\":{\"id\":7}}")));
        server.stubFor(put(urlEqualTo("/api/v2/tickets/7.json")).willReturn(okJson("{\"ticket\":{\"id\":7}}")));
        Map<String, String> s = Map.of("url", url(), "email", "bot@acme.example", "api_token", "tok");
        // ~250 characters each: 100,472 characters in all; CJK is three bytes a character, a control six once escaped
        assertThat(new ZendeskTarget().send(Notifications.many(1, 300, "x".repeat(250), ""), s, Optional.empty())
                .outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(new ZendeskTarget().send(Notifications.many(2, 300, "磁盘已满\u0001".repeat(50), ""), s,
                Optional.of("7")).outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(requests()).filteredOn(r -> !r.getMethod().toString().equals("GET")).hasSize(2).allSatisfy(r -> {
            assertThat(r.getBody().length).isLessThan(65_000);
            String comment = json(r).get("ticket").get("comment").get("body").asString();
            assertThat(comment).contains("[CRITICAL]", "Alert 0", "Firing (300)", "more alerts of this group not listed");
        });
    }
}
