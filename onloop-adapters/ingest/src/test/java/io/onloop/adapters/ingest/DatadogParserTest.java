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

class DatadogParserTest extends EventParserContract {
    // default-payload.json: Datadog's default webhook payload (fields id, last_updated, event_type, title, date,
    // org, body; https://docs.datadoghq.com/integrations/webhooks/), values as a real delivery has them
    private static final String DEFAULT = "payloads/datadog/default-payload.json";
    // onloop-template.json / recovered.json: the template of docs/formats/datadog.md, rendered with the example
    // values of Datadog's variable table (https://docs.datadoghq.com/integrations/webhooks/#variables)
    private static final String TEMPLATE = "payloads/datadog/onloop-template.json";
    private static final String RECOVERED = "payloads/datadog/recovered.json";

    private final DatadogParser parser = new DatadogParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource(DEFAULT, 1), Sample.resource(TEMPLATE, 1), Sample.resource(RECOVERED, 1));
    }

    @Test
    void defaultPayloadTakesTransitionScopeAndMonitorFromTitleAndBody() throws Exception {
        NormalizedAlert alert = parse(resource(DEFAULT));

        assertThat(alert.status()).isEqualTo(EventStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.fingerprint()).isEqualTo("dd:18692904:host:web-1");
        assertThat(alert.resource()).isEqualTo(new Resource("host", "web-1", "web-1"));
        assertThat(alert.title()).isEqualTo("[Triggered on {host:web-1}] [TEST] Host Cluster Alert");
        assertThat(alert.occurredAt()).isEqualTo(Instant.ofEpochMilli(1591216985000L));
        assertThat(alert.labels()).containsEntry("monitor_id", "18692904").containsEntry("host", "web-1");
    }

    @Test
    void recommendedTemplate() throws Exception {
        NormalizedAlert alert = parse(resource(TEMPLATE));

        assertThat(alert.status()).isEqualTo(EventStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.sourceSeverity()).isEqualTo("P2");
        assertThat(alert.fingerprint()).isEqualTo("dd:1234:availability-zone:us-east-1a,role:computing-node");
        assertThat(alert.resource()).isEqualTo(new Resource("host", "web-1", "web-1"));
        assertThat(alert.labels()).containsEntry("env", "prod").containsEntry("service", "checkout")
                .containsEntry("availability-zone", "us-east-1a").containsEntry("role", "computing-node")
                .containsEntry("monitor_id", "1234");
        assertThat(alert.link()).isEqualTo("https://app.datadoghq.com/event/event?id=7382712345678901234");
        assertThat(alert.summary()).contains("CPU above 90%");
    }

    @Test
    void recoveryResolvesTheSameFingerprintWhateverTheScopeOrder() throws Exception {
        NormalizedAlert recovered = parse(resource(RECOVERED));

        assertThat(recovered.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(recovered.fingerprint()).isEqualTo(parse(resource(TEMPLATE)).fingerprint());
    }

    @ParameterizedTest
    @CsvSource({"Triggered,FIRING", "Re-Triggered,FIRING", "Warn,FIRING", "Re-Warn,FIRING", "Renotify,FIRING",
            "Recovered,RESOLVED", "No Data,INFORMATIONAL", "Re-No Data,INFORMATIONAL", "Null,INFORMATIONAL"})
    void transitions(String transition, EventStatus expected) throws Exception {
        String body = "{\"title\":\"t\",\"alert_id\":\"1\",\"alert_transition\":\"" + transition + "\"}";
        assertThat(parse(body.getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"P1,,CRITICAL", "P2,,HIGH", "P3,info,MEDIUM", "P4,,LOW", "P5,error,INFO", ",error,HIGH",
            ",warning,MEDIUM", ",info,INFO", ",success,INFO"})
    void priorityThenAlertType(String priority, String alertType, Severity expected) throws Exception {
        String body = "{\"title\":\"[Triggered] t\",\"alert_priority\":\"" + (priority == null ? "" : priority)
                + "\",\"alert_type\":\"" + (alertType == null ? "" : alertType) + "\"}";
        assertThat(parse(body.getBytes(StandardCharsets.UTF_8)).severity()).isEqualTo(expected);
    }

    /**
     * Many prefixes read as one does. Not a speed check (speed is benchmarked, not timed in tests): each prefix used to
     * copy the rest of the title, and 262,000 of them took 12 s of CPU for one request; now they are read in place.
     */
    @Test
    void manyTitlePrefixesReadAsOneDoes() throws Exception {
        String many = "[P1]".repeat(50_000) + " [Triggered on {host:a}] CPU high";
        NormalizedAlert alert = parse(("{\"title\":\"" + many + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        NormalizedAlert one = parse("{\"title\":\"[P1] [Triggered on {host:a}] CPU high\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(alert.fingerprint()).isEqualTo(one.fingerprint()); // the same name and scope once the prefixes are read
        assertThat(alert.severity()).isEqualTo(one.severity());
        assertThat(alert.labels()).containsEntry("host", "a");
    }

    @Test
    void tagsMayBeAnArray() throws Exception {
        NormalizedAlert alert = parse("{\"title\":\"t\",\"tags\":[\"env:prod\",\"canary\"]}".getBytes(StandardCharsets.UTF_8));
        assertThat(alert.labels()).containsEntry("env", "prod").containsEntry("canary", "");
        assertThat(alert.status()).isEqualTo(EventStatus.INFORMATIONAL);
    }

    @Test
    void malformedInputSaysWhereItIsWrong() {
        assertInvalid("<html>", "", "malformed JSON");
        assertInvalid("[]", "", "expected a JSON object");
        assertInvalid("{\"body\":\"only a body\"}", "/title", "missing required field 'title'");
        assertInvalid("{\"title\":{\"a\":1}}", "/title", "must be a string");
        assertInvalid("{\"title\":\"t\",\"tags\":{}}", "/tags", "string or an array");
        assertInvalid("{\"title\":\"t\",\"tags\":[\"a\",1]}", "/tags/1", "must be a string");
        assertInvalid("{\"title\":\"t\",\"alert_scope\":[\"a\"]}", "/alert_scope", "must be a string");
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
