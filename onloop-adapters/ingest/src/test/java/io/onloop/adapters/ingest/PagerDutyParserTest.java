package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.testkit.ingest.EventParserContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PagerDutyParserTest extends EventParserContract {
    // docs-*.json: the alert event examples of PagerDuty's Events API v2 documentation,
    // https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ (trigger, acknowledge, resolve)
    private static final String TRIGGER = "payloads/pagerduty/docs-trigger.json";
    private static final String ACK = "payloads/pagerduty/docs-acknowledge.json";
    private static final String RESOLVE = "payloads/pagerduty/docs-resolve.json";
    private static final String NO_DEDUP = "payloads/pagerduty/trigger-without-dedup-key.json";

    private final PagerDutyParser parser = new PagerDutyParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource(TRIGGER, 1), Sample.resource(ACK, 1), Sample.resource(RESOLVE, 1),
                Sample.resource(NO_DEDUP, 1));
    }

    @Test
    void documentedTrigger() throws Exception {
        NormalizedAlert alert = parse(resource(TRIGGER));

        assertThat(alert.status()).isEqualTo(EventStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.sourceSeverity()).isEqualTo("critical");
        assertThat(alert.fingerprint()).isEqualTo("srv01/mysql");
        assertThat(alert.title()).isEqualTo("DISK at 99% on machine prod-datapipe03.example.com");
        assertThat(alert.summary()).contains("free space: 1%", "load avg: 0.75");
        assertThat(alert.resource()).isEqualTo(Resource.of("host", "prod-datapipe03.example.com"));
        assertThat(alert.labels()).containsEntry("component", "mysql").containsEntry("group", "prod-datapipe")
                .containsEntry("class", "disk").containsEntry("event_action", "trigger");
        assertThat(alert.occurredAt()).isEqualTo(Instant.parse("2015-07-17T08:42:58.315Z"));
        assertThat(alert.link()).isEqualTo("https://monitoring.service.com");
    }

    @Test
    void routingKeyIsACredentialAndIsNeverStored() throws Exception {
        NormalizedAlert alert = parse(resource(TRIGGER));
        assertThat(alert.labels().values()).noneMatch(v -> v.contains("e93facc04764012d7bfb002500d5d1a6"));
        assertThat(alert.rawPayload()).doesNotContain("e93facc04764012d7bfb002500d5d1a6")
                .contains("[REDACTED:routing-key]").contains("srv01/mysql");
    }

    @Test
    void acknowledgeAndResolveFollowTheDedupKey() throws Exception {
        NormalizedAlert ack = parse(resource(ACK));
        NormalizedAlert resolve = parse(resource(RESOLVE));

        assertThat(ack.status()).isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(ack.labels()).containsEntry("event_action", "acknowledge");
        assertThat(resolve.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(ack.fingerprint()).isEqualTo("srv01/mysql").isEqualTo(resolve.fingerprint());
        assertThat(resolve.title()).isEqualTo("resolve srv01/mysql");
    }

    @Test
    void triggerWithoutDedupKeyGetsAStableFingerprint() throws Exception {
        NormalizedAlert first = parse(resource(NO_DEDUP));
        NormalizedAlert other = parse(("{\"event_action\":\"trigger\",\"payload\":{\"summary\":\"Example alert on host1.example.com\","
                + "\"source\":\"host2.example.com\",\"severity\":\"warning\"}}").getBytes(StandardCharsets.UTF_8));

        assertThat(first.fingerprint()).startsWith("pd:").isEqualTo(parse(resource(NO_DEDUP)).fingerprint())
                .isNotEqualTo(other.fingerprint());
        assertThat(first.severity()).isEqualTo(Severity.MEDIUM);
    }

    @ParameterizedTest
    @CsvSource({"critical,CRITICAL", "error,HIGH", "warning,MEDIUM", "info,INFO"})
    void severityMapping(String word, Severity expected) throws Exception {
        String body = "{\"event_action\":\"trigger\",\"payload\":{\"summary\":\"s\",\"source\":\"h\",\"severity\":\"" + word + "\"}}";
        assertThat(parse(body.getBytes(StandardCharsets.UTF_8)).severity()).isEqualTo(expected);
    }

    @Test
    void validatesLikePagerDuty() {
        assertInvalid("nope", "", "malformed JSON");
        assertInvalid("[]", "", "expected a JSON object");
        assertInvalid("{}", "/event_action", "missing required field 'event_action'");
        assertInvalid("{\"event_action\":\"explode\"}", "/event_action", "trigger, acknowledge, resolve");
        assertInvalid("{\"event_action\":\"trigger\"}", "/payload", "required for trigger");
        assertInvalid("{\"event_action\":\"trigger\",\"payload\":\"x\"}", "/payload", "must be an object");
        assertInvalid("{\"event_action\":\"trigger\",\"payload\":{\"source\":\"h\",\"severity\":\"info\"}}",
                "/payload/summary", "missing required field 'summary'");
        assertInvalid("{\"event_action\":\"trigger\",\"payload\":{\"summary\":\"s\",\"severity\":\"info\"}}",
                "/payload/source", "missing required field 'source'");
        assertInvalid("{\"event_action\":\"trigger\",\"payload\":{\"summary\":\"s\",\"source\":\"h\"}}",
                "/payload/severity", "missing required field 'severity'");
        assertInvalid("{\"event_action\":\"trigger\",\"payload\":{\"summary\":\"s\",\"source\":\"h\",\"severity\":\"bad\"}}",
                "/payload/severity", "critical, error, warning, info");
        assertInvalid("{\"event_action\":\"trigger\",\"payload\":{\"summary\":[],\"source\":\"h\",\"severity\":\"info\"}}",
                "/payload/summary", "must be a string");
        assertInvalid("{\"event_action\":\"resolve\"}", "/dedup_key", "required for resolve");
        assertInvalid("{\"event_action\":\"acknowledge\",\"dedup_key\":\"\"}", "/dedup_key", "required for acknowledge");
        assertInvalid("{\"event_action\":\"resolve\",\"dedup_key\":\"" + "k".repeat(256) + "\"}", "/dedup_key", "255");
        assertInvalid("{\"event_action\":\"resolve\",\"dedup_key\":\"k\",\"links\":{}}", "/links", "must be an array");
        // trigger or resolve? Not whichever came last
        assertInvalid("{\"event_action\":\"trigger\",\"event_action\":\"resolve\",\"dedup_key\":\"k\"}", "",
                "malformed JSON at line 1, column 41: Duplicate Object property \"event_action\"");
    }

    private NormalizedAlert parse(byte[] body) throws Exception {
        var alerts = parser.parse(IngestRequest.of(body)).alerts();
        assertThat(alerts).hasSize(1);
        return alerts.getFirst();
    }

    private void assertInvalid(String body, String pointer, String message) {
        assertThatThrownBy(() -> parse(body.getBytes(StandardCharsets.UTF_8))).as(body)
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining(message)
                .extracting(e -> ((InvalidPayloadException) e).pointer()).isEqualTo(pointer);
    }
}
