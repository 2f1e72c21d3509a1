package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.testkit.ingest.EventParserContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Alertmanager webhook v4, after https://prometheus.io/docs/alerting/latest/configuration/#webhook_config.
 * Sample sources: src/test/resources/payloads/SOURCES.md.
 */
class AlertmanagerParserTest extends EventParserContract {
    private final AlertmanagerParser parser = new AlertmanagerParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource("payloads/alertmanager/resolved-deployment.json", 1),
                Sample.resource("payloads/alertmanager/firing-group.json", 2));
    }

    private static IngestRequest req(String json) {
        return IngestRequest.of(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fingerprintIsPrometheusLabelSetFingerprint() {
        // prometheus/common model/signature_test.go, TestMetricToFingerprint
        assertThat(AlertmanagerParser.fingerprint(Map.of())).isEqualTo(Long.toHexString(-3750763034362895579L));
        assertThat(Long.parseUnsignedLong(AlertmanagerParser.fingerprint(
                Map.of("name", "garland, briggs", "fear", "love is not enough")), 16))
                .isEqualTo(Long.parseUnsignedLong("5799056148416392346"));
    }

    @Test
    void computedFingerprintEqualsTheOneAlertmanagerSent() throws Exception {
        byte[] body = resource("payloads/alertmanager/resolved-deployment.json");
        var sent = parser.parse(IngestRequest.of(body)).alerts().getFirst();
        assertThat(sent.fingerprint()).isEqualTo("fbab788ec4c1018b");
        assertThat(AlertmanagerParser.fingerprint(sent.labels())).isEqualTo("fbab788ec4c1018b");
    }

    @Test
    void resolvedDocumentedPayload() throws Exception {
        var result = parser.parse(IngestRequest.of(resource("payloads/alertmanager/resolved-deployment.json")));
        assertThat(result.truncatedAlerts()).isZero();
        var a = result.alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(a.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(a.sourceSeverity()).isEqualTo("Warning");
        assertThat(a.title()).isEqualTo("Deployment: Kubernetes Deployment Replicas Mismatch");
        assertThat(a.summary()).isEqualTo("Deployment Replicas mismatch, desired value does not match..");
        assertThat(a.resource()).isEqualTo(new Resource("kubernetes", "eric-eo-cm-ci406/Deployment/eric-log-transformer", "eric-log-transformer"));
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2022-07-29T11:17:27.3Z"));
        assertThat(a.link()).startsWith("/metrics/viewer/graph?");
    }

    @Test
    void everyAlertOfAGroupAndTheTruncatedCount() throws Exception {
        var result = parser.parse(IngestRequest.of(resource("payloads/alertmanager/firing-group.json")));
        assertThat(result.truncatedAlerts()).isEqualTo(2);
        assertThat(result.alerts()).hasSize(2);
        var pod = result.alerts().get(0);
        assertThat(pod.status()).isEqualTo(EventStatus.FIRING);
        assertThat(pod.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(pod.resource().id()).isEqualTo("shop/Pod/checkout-7d9f8b6c5-x2x9k");
        assertThat(pod.fingerprint()).isEqualTo(AlertmanagerParser.fingerprint(pod.labels())).hasSize(16);
        assertThat(pod.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:00:00Z"));
        var disk = result.alerts().get(1);
        assertThat(disk.resource()).isEqualTo(new Resource("host", "10.0.3.17:9100", "10.0.3.17"));
        assertThat(disk.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void severityTable() {
        assertThat(AlertmanagerParser.severity("page")).isEqualTo(Severity.CRITICAL);
        assertThat(AlertmanagerParser.severity("ERROR")).isEqualTo(Severity.HIGH);
        assertThat(AlertmanagerParser.severity("major")).isEqualTo(Severity.HIGH);
        assertThat(AlertmanagerParser.severity("warn")).isEqualTo(Severity.MEDIUM);
        assertThat(AlertmanagerParser.severity("minor")).isEqualTo(Severity.LOW);
        assertThat(AlertmanagerParser.severity("info")).isEqualTo(Severity.INFO);
        assertThat(AlertmanagerParser.severity("")).isEqualTo(Severity.MEDIUM);
        assertThat(AlertmanagerParser.severity("bogus")).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void resourcePriority() {
        assertThat(AlertmanagerParser.resource(Map.of("node", "worker-1", "instance", "x:1")).id()).isEqualTo("Node/worker-1");
        assertThat(AlertmanagerParser.resource(Map.of("job", "api")).kind()).isEqualTo("service");
        assertThat(AlertmanagerParser.resource(Map.of("namespace", "shop")).id()).isEqualTo("Namespace/shop");
        assertThat(AlertmanagerParser.resource(Map.of("alertname", "Watchdog"))).isEqualTo(Resource.UNKNOWN);
    }

    @Test
    void malformedInputSaysWhere() {
        assertThatThrownBy(() -> parser.parse(req("not json"))).isInstanceOf(InvalidPayloadException.class)
                .hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> parser.parse(req("[]"))).hasMessageContaining("expected a JSON object");
        assertInvalid("{}", "/alerts");
        assertInvalid("{\"alerts\":{}}", "/alerts");
        assertInvalid("{\"alerts\":[1]}", "/alerts/0");
        assertInvalid("{\"alerts\":[{\"labels\":[]}]}", "/alerts/0/labels");
        assertInvalid("{\"alerts\":[{},{\"labels\":{\"a\":{}}}]}", "/alerts/1/labels/a");
        assertInvalid("{\"alerts\":[{\"status\":\"exploded\"}]}", "/alerts/0/status");
        assertInvalid("{\"alerts\":[{\"startsAt\":5}]}", "/alerts/0/startsAt");
        assertInvalid("{\"alerts\":[],\"truncatedAlerts\":\"many\"}", "/truncatedAlerts");
    }

    private void assertInvalid(String json, String pointer) {
        assertThatThrownBy(() -> parser.parse(req(json))).isInstanceOfSatisfying(InvalidPayloadException.class,
                e -> {
                    assertThat(e.pointer()).as(json).isEqualTo(pointer);
                    assertThat(e.getMessage()).contains(pointer);
                });
    }
}
