package io.onloop.app.ingest;

import io.onloop.app.AppTestBase;
import io.onloop.app.Payloads;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.Role;
import io.onloop.domain.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One end-to-end run per format with a sample from that format's documentation: accepted with 202,
 * and by then committed (read back through the store bean, not through the API).
 */
class IngestFormatsTest extends AppTestBase {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
            "alertmanager,   alertmanager/firing-group.json,   2",
            "grafana,        grafana/docs-webhook.json,         2",
            "datadog,        datadog/default-payload.json,      1",
            "pagerduty,      pagerduty/docs-trigger.json,       1",
            "kubernetes,     kubernetes/core-v1-backoff.json,   1",
            "cloudevents,    cloudevents/spec-structured.json,  1",
            "eventbridge,    eventbridge/alarm-single-metric.json, 1",
            "azure-monitor,  azure-monitor/log-v2-fired.json,   1",
            "gcp-monitoring, gcp-monitoring/open-gce.json,      1",
            "generic,        generic/single.json,               1",
    })
    void aDocumentedSampleIsAcceptedAndCommitted(String format, String sample, int events) {
        String token = source(format);
        var response = http.post("/api/v1/ingest/" + format).bearer(token).header("Prefer", "wait=10").json(Payloads.sample(sample)).send();
        JsonNode body = response.expect(202).json();
        assertThat(body.get("accepted").asInt()).isEqualTo(events);
        assertThat(body.get("eventIds").size()).isEqualTo(events);
        for (JsonNode id : body.get("eventIds")) {
            Event stored = eventStore.findEvent(TENANT, UUID.fromString(id.asString())).orElseThrow();
            assertThat(stored.source().id()).isEqualTo(format);
            assertThat(stored.rawPayload()).isNotEmpty();
        }
    }

    @Test
    void alertmanagerTruncatedAlertsAreSurfaced() {
        var body = http.post("/api/v1/ingest/alertmanager").bearer(source("alertmanager")).header("Prefer", "wait=10")
                .json(Payloads.sample("alertmanager/firing-group.json")).send().expect(202).json();
        assertThat(body.get("truncatedAlerts").asInt()).isEqualTo(2);
        assertThat(body.get("incidentIds").size()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void snsNotificationWithSignatureCheckingSwitchedOffExplicitly() {
        String token = source("sns", false);
        var response = http.post("/api/v1/ingest/sns").bearer(token).header("Prefer", "wait=10")
                .body(snsNotification(Payloads.sample("sns/alarm-message-metric.json")), "text/plain; charset=UTF-8")
                .send().expect(202).json();
        assertThat(response.get("accepted").asInt()).isEqualTo(1);
        Event stored = eventStore.findEvent(TENANT, UUID.fromString(response.get("eventIds").get(0).asString()))
                .orElseThrow();
        assertThat(stored.title()).contains("ServerCpuTooHigh");
    }

    @Test
    void aCloudEventDeliveredTwiceIsStoredOnceAndSaidSoReadably() {
        String token = source("cloudevents");
        String event = Payloads.sample("cloudevents/spec-structured.json");
        var first = http.post("/api/v1/ingest/cloudevents").bearer(token).json(event).send().expect(202).json();
        var again = http.post("/api/v1/ingest/cloudevents").bearer(token).json(event).send().expect(202).json();
        assertThat(again.get("eventIds")).isEqualTo(first.get("eventIds"));
        assertThat(again.get("warnings").get(0).asString()).contains("was accepted before").doesNotContain("\u0000");
    }

    @Test
    void anSnsMessageDeliveredTwiceIsStoredOnce() {
        String token = source("sns", false);
        String message = snsNotification(Payloads.sample("sns/alarm-message-metric.json"));
        var first = http.post("/api/v1/ingest/sns").bearer(token).header("Prefer", "wait=10")
                .body(message, "text/plain; charset=UTF-8").send().expect(202).json();
        var again = http.post("/api/v1/ingest/sns").bearer(token).body(message, "text/plain; charset=UTF-8")
                .send().expect(202).json();
        assertThat(again.get("eventIds")).isEqualTo(first.get("eventIds"));
        assertThat(again.get("warnings").get(0).asString()).contains("was accepted before");
        // the same alarm in a new message is an unchanged repeat; stored after anything journaled before it, so
        // had the redelivery been stored too, it would count two
        http.post("/api/v1/ingest/sns").bearer(token).header("Prefer", "wait=10")
                .body(snsNotification(Payloads.sample("sns/alarm-message-metric.json")), "text/plain; charset=UTF-8")
                .send().expect(202);
        Event stored = eventStore.findEvent(TENANT, UUID.fromString(first.get("eventIds").get(0).asString())).orElseThrow();
        assertThat(stored.repeats()).isEqualTo(1);
    }

    @Test
    void snsSignaturesAreCheckedByDefault() {
        String token = source("sns");
        var problem = http.post("/api/v1/ingest/sns").bearer(token)
                .body(snsNotification(Payloads.sample("sns/alarm-message-metric.json")), "text/plain; charset=UTF-8")
                .send().problem(403);
        assertThat(problem.get("detail").asString()).containsIgnoringCase("signature");
        var sources = http.get("/api/v1/sources").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(sources.values()).anySatisfy(s -> assertThat(s.get("verifySignatures").asBoolean()).isTrue());
    }

    @Test
    void snsSubscriptionConfirmationIsConfirmedAndAudited() {
        String token = source("sns", false);
        int before = confirmer.confirmed.size();
        var body = http.post("/api/v1/ingest/sns?token=" + token)
                .body(Payloads.sample("sns/subscription-confirmation.json"), "text/plain; charset=UTF-8")
                .send().expect(200).json();
        assertThat(body.get("confirmed").asBoolean()).isTrue();
        assertThat(confirmer.confirmed).hasSize(before + 1);
        assertThat(confirmer.confirmed.getLast().toString())
                .startsWith("https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription");
        var audit = http.get("/api/v1/audit?limit=20").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(audit.get("items").values()).anySatisfy(
                a -> assertThat(a.get("action").asString()).isEqualTo("source.sns-subscription-confirm"));
    }

    @Test
    void anSnsConfirmationThatCannotReachSnsIs502SayingWhyWithoutTheSubscriptionToken() {
        String token = source("sns", false);
        confirmer.failNext = new java.net.ConnectException(); // as the JDK's client throws it: no message
        var problem = http.post("/api/v1/ingest/sns?token=" + token)
                .body(Payloads.sample("sns/subscription-confirmation.json"), "text/plain; charset=UTF-8").send().problem(502);
        assertThat(problem.get("detail").asString())
                .isEqualTo("could not confirm the SNS subscription at sns.us-west-2.amazonaws.com: ConnectException");
        // SNS sends the confirmation again after a 5xx; this time it goes through
        http.post("/api/v1/ingest/sns?token=" + token)
                .body(Payloads.sample("sns/subscription-confirmation.json"), "text/plain; charset=UTF-8").send().expect(200);
    }

    @Test
    void anSnsSourceRestrictedToTopicsConfirmsOnlyThoseAndRefusesOthers403() {
        String docTopic = "arn:aws:sns:us-west-2:123456789012:MyTopic"; // the documentation's examples
        String other = "arn:aws:sns:eu-west-1:210987654321:someone-elses";
        var created = http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "sns",
                "name", "sns-topics-" + System.nanoTime(), "verifySignatures", false,
                "topicArns", List.of(" " + other + " ", other))).send().expect(201).json();
        assertThat(created.get("source").get("topicArns").values()).extracting(n -> n.asString()).containsExactly(other);
        String token = created.get("token").asString();
        int before = confirmer.confirmed.size();

        var refused = http.post("/api/v1/ingest/sns?token=" + token)
                .body(Payloads.sample("sns/subscription-confirmation.json"), "text/plain; charset=UTF-8").send();
        assertThat(refused.problem(403).get("title").asString()).isEqualTo("Topic not allowed");
        http.post("/api/v1/ingest/sns?token=" + token)
                .body(snsNotification(Payloads.sample("sns/alarm-message-metric.json")), "text/plain; charset=UTF-8")
                .send().problem(403);
        assertThat(confirmer.confirmed).hasSize(before);

        String mine = http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "sns",
                "name", "sns-doc-topic-" + System.nanoTime(), "verifySignatures", false, "topicArns", List.of(docTopic)))
                .send().expect(201).json().get("token").asString();
        http.post("/api/v1/ingest/sns?token=" + mine)
                .body(Payloads.sample("sns/subscription-confirmation.json"), "text/plain; charset=UTF-8")
                .send().expect(200);
        assertThat(confirmer.confirmed).hasSize(before + 1);
        var audit = http.get("/api/v1/audit?limit=20").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(audit.get("items").values()).anySatisfy(a -> {
            assertThat(a.get("action").asString()).isEqualTo("source.create");
            assertThat(a.get("detail").asString()).contains("topicArns=" + docTopic);
        });
    }

    @Test
    void anSnsSourcesTopicsCanBeChangedWithoutANewToken() {
        String docTopic = "arn:aws:sns:us-west-2:123456789012:MyTopic";
        var created = http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "sns",
                "name", "sns-patch-" + System.nanoTime(), "verifySignatures", false)).send().expect(201).json();
        String id = created.get("source").get("id").asString();
        String token = created.get("token").asString();
        String path = "/api/v1/sources/" + id;
        var confirmation = Payloads.sample("sns/subscription-confirmation.json");

        var patched = http.patch(path).bearer(ADMIN_TOKEN)
                .json(Map.of("topicArns", List.of("arn:aws:sns:eu-west-1:210987654321:other"))).send().expect(200).json();
        assertThat(patched.get("topicArns").values()).hasSize(1);
        http.post("/api/v1/ingest/sns?token=" + token).body(confirmation, "text/plain; charset=UTF-8").send().problem(403);

        http.patch(path).bearer(ADMIN_TOKEN).json(Map.of("topicArns", List.of(docTopic))).send().expect(200);
        http.post("/api/v1/ingest/sns?token=" + token).body(confirmation, "text/plain; charset=UTF-8").send().expect(200);
        http.patch(path).bearer(ADMIN_TOKEN).json(Map.of("topicArns", List.of())).send().expect(200);
        assertThat(accessStore.findSourceByTokenHash(Secrets.sha256Hex(token)).orElseThrow().topicArns()).isEmpty();

        http.patch(path).bearer(ADMIN_TOKEN).json(Map.of()).send().problem(400);
        http.patch(path).bearer(ADMIN_TOKEN).json(Map.of("topicArns", List.of("not an arn"))).send().problem(400);
        http.patch("/api/v1/sources/" + UUID.randomUUID()).bearer(ADMIN_TOKEN)
                .json(Map.of("topicArns", List.of())).send().problem(404);
        String am = http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "alertmanager",
                "name", "am-patch-" + System.nanoTime())).send().expect(201).json().get("source").get("id").asString();
        http.patch("/api/v1/sources/" + am).bearer(ADMIN_TOKEN)
                .json(Map.of("topicArns", List.of(docTopic))).send().problem(400);
        http.patch(path).bearer(apiToken(Role.RESPONDER)).json(Map.of("topicArns", List.of())).send().problem(403);
        var audit = http.get("/api/v1/audit?limit=20").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(audit.get("items").values()).anySatisfy(a -> {
            assertThat(a.get("action").asString()).isEqualTo("source.topics");
            assertThat(a.get("detail").asString()).isEqualTo("topicArns=" + docTopic);
        });
    }

    @Test
    void topicArnsAreCheckedWhenASourceIsCreated() {
        var notSns = http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "alertmanager",
                "name", "am-" + System.nanoTime(), "topicArns", List.of("arn:aws:sns:us-west-2:123456789012:MyTopic")))
                .send().problem(400);
        assertThat(notSns.get("detail").asString()).contains("sns sources only");
        var malformed = http.post("/api/v1/sources").bearer(ADMIN_TOKEN).json(Map.of("format", "sns",
                "name", "sns-" + System.nanoTime(), "topicArns", List.of("arn:aws:sqs:us-west-2:123456789012:q")))
                .send().problem(400);
        assertThat(malformed.get("detail").asString()).contains("not an SNS topic ARN");
    }

    /** An SNS Notification envelope, unsigned, carrying this message. */
    static String snsNotification(String message) {
        return JsonMapper.builder().build().writeValueAsString(Map.of(
                "Type", "Notification",
                "MessageId", UUID.randomUUID().toString(),
                "TopicArn", "arn:aws:sns:us-west-2:123456789012:MyTopic",
                "Subject", "ALARM: \"ServerCpuTooHigh\" in US West (Oregon)",
                "Message", message,
                "Timestamp", "2024-05-01T10:00:00.000Z"));
    }
}
