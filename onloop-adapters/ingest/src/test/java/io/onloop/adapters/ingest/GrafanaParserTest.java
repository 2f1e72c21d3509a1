package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.ParseResult;
import io.onloop.testkit.ingest.EventParserContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrafanaParserTest extends EventParserContract {
    // docs-webhook.json: the example body of Grafana's webhook notifier page,
    // https://grafana.com/docs/grafana/latest/alerting/configure-notifications/manage-contact-points/integrations/webhook-notifier/
    private static final String DOCS = "payloads/grafana/docs-webhook.json";
    // resolved-no-fingerprint.json: the same schema, resolved, without fingerprint, with valueString (Grafana 9 docs field)
    private static final String RESOLVED = "payloads/grafana/resolved-no-fingerprint.json";

    private final GrafanaParser parser = new GrafanaParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource(DOCS, 2), Sample.resource(RESOLVED, 1));
    }

    @Test
    void everyAlertOfTheDocumentedExampleBecomesOneAlert() throws Exception {
        ParseResult result = parse(resource(DOCS));

        assertThat(result.truncatedAlerts()).isZero();
        assertThat(result.alerts()).hasSize(2);
        NormalizedAlert first = result.alerts().getFirst();
        assertThat(first.status()).isEqualTo(EventStatus.FIRING);
        assertThat(first.title()).isEqualTo("High memory usage");
        assertThat(first.fingerprint()).isEqualTo("c6eadffa33fcdf37");
        assertThat(first.severity()).isEqualTo(Severity.MEDIUM); // no severity label
        assertThat(first.summary()).contains("This alert was triggered for zone us-1", "The system has high memory usage",
                "Values: B=44.23943737541908, C=1");
        assertThat(first.labels()).containsEntry("team", "blue").containsEntry("zone", "us-1");
        assertThat(first.occurredAt()).isEqualTo(Instant.parse("2021-10-12T07:51:03.157076Z"));
        assertThat(first.link()).isEqualTo("https://play.grafana.org/alerting/1afz29v7z/edit");
        assertThat(first.rawPayload()).contains("\"fingerprint\":\"c6eadffa33fcdf37\"").doesNotContain("bc97ff14869b13e3");
        assertThat(result.alerts().get(1).fingerprint()).isEqualTo("bc97ff14869b13e3");
    }

    @Test
    void resolvedAlertWithoutFingerprintUsesTheLabelSetFingerprint() throws Exception {
        ParseResult result = parse(resource(RESOLVED));

        NormalizedAlert alert = result.alerts().getFirst();
        assertThat(result.truncatedAlerts()).isEqualTo(3);
        assertThat(alert.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.sourceSeverity()).isEqualTo("critical");
        assertThat(alert.fingerprint()).isEqualTo(AlertmanagerParser.fingerprint(alert.labels())).hasSize(16);
        assertThat(alert.resource()).isEqualTo(new Resource("kubernetes", "shop/Pod/db-0", "db-0"));
        assertThat(alert.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:30:00Z"));
        assertThat(alert.summary()).contains("Values: [ var='B' labels={pod=db-0} value=97.5 ]");
    }

    @ParameterizedTest
    @CsvSource({"critical,CRITICAL", "page,CRITICAL", "error,HIGH", "high,HIGH", "major,HIGH", "warning,MEDIUM",
            "warn,MEDIUM", "medium,MEDIUM", "low,LOW", "minor,LOW", "info,INFO", "none,INFO", "whatever,MEDIUM"})
    void severityLabelMapsLikeAlertmanager(String word, Severity expected) throws Exception {
        String body = """
                {"status":"firing","alerts":[{"status":"firing","labels":{"alertname":"A","severity":"%s"}}]}
                """.formatted(word);
        assertThat(parse(body).alerts().getFirst().severity()).isEqualTo(expected);
    }

    @Test
    void alertStatusFallsBackToTheGroupStatus() throws Exception {
        var alert = parse("{\"status\":\"resolved\",\"alerts\":[{\"labels\":{\"alertname\":\"A\"}}]}").alerts().getFirst();
        assertThat(alert.status()).isEqualTo(EventStatus.RESOLVED);
    }

    @Test
    void scalarLabelValuesAreKeptAsTextAndNullsLeftOut() throws Exception {
        var alert = parse("{\"status\":\"firing\",\"alerts\":[{\"labels\":{\"alertname\":\"A\",\"shard\":3,"
                + "\"canary\":true,\"ratio\":0.5,\"gone\":null}}]}").alerts().getFirst();
        assertThat(alert.labels()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("alertname", "A", "shard", "3", "canary", "true", "ratio", "0.5"));
    }

    @Test
    void malformedInputSaysWhereItIsWrong() {
        assertInvalid("not json", "", "malformed JSON");
        assertInvalid("[1,2]", "", "expected a JSON object");
        assertInvalid("{\"title\":\"[Alerting] legacy\",\"state\":\"alerting\",\"evalMatches\":[]}", "/alerts",
                "legacy Grafana alerting");
        assertInvalid("{\"alerts\":{}}", "/alerts", "must be an array");
        assertInvalid("{\"status\":\"firing\",\"alerts\":[42]}", "/alerts/0", "must be an object");
        assertInvalid("{\"status\":\"firing\",\"alerts\":[{\"labels\":[\"a\"]}]}", "/alerts/0/labels", "must be an object");
        assertInvalid("{\"status\":\"firing\",\"alerts\":[{\"labels\":{\"a\":{\"b\":1}}}]}", "/alerts/0/labels/a", "must be a string");
        assertInvalid("{\"alerts\":[{\"labels\":{}}]}", "/alerts/0/status", "missing required field 'status'");
        assertInvalid("{\"status\":\"firing\",\"alerts\":[{\"status\":\"pending\"}]}", "/alerts/0/status", "\"pending\"");
        assertInvalid("{\"status\":\"firing\",\"alerts\":[],\"truncatedAlerts\":\"3\"}", "/truncatedAlerts", "non-negative integer");
    }

    private ParseResult parse(String body) throws Exception {
        return parse(body.getBytes(StandardCharsets.UTF_8));
    }

    private ParseResult parse(byte[] body) throws Exception {
        return parser.parse(IngestRequest.of(body));
    }

    private void assertInvalid(String body, String pointer, String message) {
        assertThatThrownBy(() -> parse(body)).as(body).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining(message)
                .extracting(e -> ((InvalidPayloadException) e).pointer()).isEqualTo(pointer);
    }
}
