package io.onloop.adapters.delivery;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.onloop.domain.delivery.SendResult;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

class JiraTargetTest extends WireMockTest {
    private final JiraTarget target = new JiraTarget();

    private Map<String, String> settings() {
        return Map.of("url", url(), "email", "bot@acme.example", "api_token", "tok", "project", "OPS",
                "resolve_transition", "Done");
    }

    @Test
    void createsCommentsAndTransitionsOneIssue() {
        server.stubFor(get(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(okJson("{\"issues\":[]}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"10000\",\"key\":\"OPS-24\",\"self\":\"" + url() + "/rest/api/3/issue/10000\"}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-24/comment")).willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"1\"}")));
        server.stubFor(get(urlEqualTo("/rest/api/3/issue/OPS-24/transitions")).willReturn(okJson(
                "{\"transitions\":[{\"id\":\"11\",\"name\":\"In Progress\",\"to\":{\"name\":\"In Progress\"}},"
                        + "{\"id\":\"31\",\"name\":\"Done\",\"to\":{\"name\":\"Done\"}}]}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-24/transitions")).willReturn(aResponse().withStatus(204)));

        SendResult created = target.send(Notifications.firing(1), settings(), Optional.empty());
        assertThat(created.threadRef()).isEqualTo("OPS-24");
        LoggedRequest search = requests().stream().filter(r -> r.getUrl().startsWith("/rest/api/3/search/jql"))
                .findFirst().orElseThrow();
        assertThat(search.queryParameter("jql").firstValue()).isEqualTo("labels = \"onloop-" + Notifications.THREAD + "\"");
        JsonNode fields = json(requests().stream().filter(r -> r.getUrl().equals("/rest/api/3/issue")).findFirst()
                .orElseThrow()).get("fields");
        assertThat(fields.get("project").get("key").asString()).isEqualTo("OPS");
        assertThat(fields.get("issuetype").get("name").asString()).isEqualTo("Task");
        assertThat(fields.get("labels").toString()).contains("onloop-" + Notifications.THREAD);
        assertThat(fields.get("description").get("type").asString()).isEqualTo("doc");
        assertThat(fields.get("description").toString()).contains("df -h");

        server.resetRequests();
        target.send(Notifications.firing(2), settings(), Optional.of("OPS-24"));
        target.send(Notifications.resolved(3), settings(), Optional.of("OPS-24"));
        assertThat(requests()).extracting(r -> r.getMethod() + " " + r.getUrl()).containsExactlyInAnyOrder(
                "POST /rest/api/3/issue/OPS-24/comment", "POST /rest/api/3/issue/OPS-24/comment",
                "GET /rest/api/3/issue/OPS-24/transitions", "POST /rest/api/3/issue/OPS-24/transitions");
        LoggedRequest transition = requests().stream().filter(r -> r.getUrl().endsWith("/transitions")
                && r.getMethod().toString().equals("POST")).findFirst().orElseThrow();
        assertThat(json(transition).get("transition").get("id").asString()).isEqualTo("31");
    }

    @Test
    void aRetryFindsTheIssueByLabelAndAMissingTransitionIsReported() {
        server.stubFor(get(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(okJson(
                "{\"issues\":[{\"id\":\"10001\",\"key\":\"OPS-25\"}]}")));
        server.stubFor(get(urlEqualTo("/rest/api/3/issue/OPS-25/transitions")).willReturn(okJson("{\"transitions\":[]}")));
        server.stubFor(get(urlEqualTo("/rest/api/3/issue/OPS-25?fields=status")).willReturn(okJson(
                "{\"key\":\"OPS-25\",\"fields\":{\"status\":{\"name\":\"Blocked\",\"statusCategory\":{\"key\":\"indeterminate\"}}}}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-25/comment")).willReturn(aResponse().withStatus(201)));
        assertThat(target.send(Notifications.firing(1), settings(), Optional.empty()).threadRef()).isEqualTo("OPS-25");
        assertThat(requests()).noneMatch(r -> r.getUrl().equals("/rest/api/3/issue"));
        SendResult r = target.send(Notifications.resolved(2), settings(), Optional.of("OPS-25"));
        assertThat(r.outcome()).isEqualTo(SendResult.Outcome.FAILED);
        assertThat(r.error()).contains("no transition named \"Done\"");
    }

    @Test
    void aResolveRetriedAfterAFailedTransitionOrCommentCommentsOnce() {
        server.stubFor(get(urlEqualTo("/rest/api/3/issue/OPS-26/transitions")).willReturn(okJson(
                "{\"transitions\":[{\"id\":\"31\",\"name\":\"Done\",\"to\":{\"name\":\"Done\"}}]}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-26/transitions")).inScenario("t")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-26/transitions")).inScenario("t").whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(204)));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-26/comment")).willReturn(aResponse().withStatus(201)));

        assertThat(target.send(Notifications.resolved(2), settings(), Optional.of("OPS-26")).outcome())
                .isEqualTo(SendResult.Outcome.RETRY);
        assertThat(target.send(Notifications.resolved(2), settings(), Optional.of("OPS-26")).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(requests()).filteredOn(r -> r.getUrl().endsWith("/comment")).hasSize(1);

        // closed, then the comment failed: the retry finds it done (no "Done" transition from Done) and comments
        server.resetAll();
        server.stubFor(get(urlEqualTo("/rest/api/3/issue/OPS-26/transitions")).willReturn(okJson("{\"transitions\":[]}")));
        server.stubFor(get(urlEqualTo("/rest/api/3/issue/OPS-26?fields=status")).willReturn(okJson(
                "{\"key\":\"OPS-26\",\"fields\":{\"status\":{\"name\":\"Done\",\"statusCategory\":{\"key\":\"done\"}}}}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-26/comment")).willReturn(aResponse().withStatus(201)));
        assertThat(target.send(Notifications.resolved(2), settings(), Optional.of("OPS-26")).outcome())
                .isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(requests()).filteredOn(r -> r.getUrl().endsWith("/comment")).hasSize(1);
    }

    @Test
    void aBigGroupFitsJirasTextLimitKeepingItsFirstAlertsAndSayingWhatIsLeftOut() {
        server.stubFor(get(urlPathEqualTo("/rest/api/3/search/jql")).willReturn(okJson("{\"issues\":[]}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue")).willReturn(aResponse().withStatus(201)
                .withBody("{\"id\":\"10000\",\"key\":\"OPS-27\"}")));
        server.stubFor(post(urlEqualTo("/rest/api/3/issue/OPS-27/comment")).willReturn(aResponse().withStatus(201)));
        // 300 alerts of ~250 characters made a 100,472-character description, which Jira refuses for good
        var big = Notifications.many(1, 300, "x".repeat(250), "Check `df -h` first.\n" + "step ".repeat(8000));
        assertThat(target.send(big, settings(), Optional.empty()).outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        assertThat(target.send(Notifications.many(2, 300, "x".repeat(250), ""), settings(), Optional.of("OPS-27"))
                .outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        // one alert alone too long: the text itself is cut
        assertThat(target.send(Notifications.many(3, 1, "y".repeat(100_000), ""), settings(), Optional.of("OPS-27"))
                .outcome()).isEqualTo(SendResult.Outcome.DELIVERED);
        JsonNode description = json(requests().stream().filter(r -> r.getUrl().equals("/rest/api/3/issue"))
                .findFirst().orElseThrow()).get("fields").get("description");
        assertThat(description.toString().length()).isLessThanOrEqualTo(32_767);
        assertThat(description.toString()).contains("[CRITICAL]", "Alert 0", "Firing (300)",
                "more alerts of this group not listed here", "Check `df -h` first.", "runbook cut here");
        var comments = requests().stream().filter(r -> r.getUrl().endsWith("/comment")).toList();
        assertThat(comments).hasSize(2).allSatisfy(c -> assertThat(json(c).get("body").toString().length())
                .isLessThanOrEqualTo(32_767));
        assertThat(comments).anySatisfy(c -> assertThat(json(c).get("body").toString()).contains("cut here"));
    }
}
