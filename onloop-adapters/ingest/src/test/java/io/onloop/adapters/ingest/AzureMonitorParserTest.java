package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.testkit.ingest.EventParserContract;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Samples from Microsoft Learn, "Common alert schema" (see payloads/SOURCES.md). */
class AzureMonitorParserTest extends EventParserContract {
    private final AzureMonitorParser parser = new AzureMonitorParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource("payloads/azure-monitor/metric-resolved.json", 1),
                Sample.resource("payloads/azure-monitor/log-v2-fired.json", 1));
    }

    @Test
    void documentedMetricAlert() throws Exception {
        var a = parser.parse(IngestRequest.of(resource("payloads/azure-monitor/metric-resolved.json"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(a.severity()).isEqualTo(Severity.LOW);
        assertThat(a.sourceSeverity()).isEqualTo("Sev3");
        assertThat(a.fingerprint()).endsWith("/alerts/b9569717-bc32-442f-add5-83a997729330");
        assertThat(a.title()).isEqualTo("WCUS-R2-Gen2");
        assertThat(a.resource().kind()).isEqualTo("azure");
        assertThat(a.resource().id()).endsWith("/providers/microsoft.compute/virtualmachines/wcus-r2-gen2");
        assertThat(a.resource().name()).isEqualTo("wcus-r2-gen2");
        assertThat(a.summary()).isEqualTo("Percentage CPU GreaterThan 25 (value 7.727)");
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2019-03-22T14:03:16.2246313Z"));
        assertThat(a.labels()).containsEntry("signal_type", "Metric").containsEntry("metric_value", "7.727")
                .containsEntry("metric_namespace", "Microsoft.Compute/virtualMachines");
    }

    @Test
    void logAlertV2() throws Exception {
        var a = parser.parse(IngestRequest.of(resource("payloads/azure-monitor/log-v2-fired.json"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.FIRING);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.resource().id()).isEqualTo(a.resource().id().toLowerCase()).endsWith("virtualmachines/contoso");
        assertThat(a.summary()).contains("Alert when no heartbeat arrives").contains("Heartbeat LowerThan 1 (value 0.0)");
        assertThat(a.link()).startsWith("https://portal.azure.com");
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2020-07-09T14:04:49.99645Z"));
    }

    @Test
    void severityTable() {
        assertThat(List.of("Sev0", "Sev1", "Sev2", "Sev3", "Sev4", "x").stream().map(AzureMonitorParser::severity))
                .containsExactly(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.INFO, Severity.MEDIUM);
    }

    @Test
    void malformedInputSaysWhere() {
        assertInvalid("{}", "/schemaId");
        assertInvalid("{\"schemaId\":\"AzureMonitorMetricAlert\"}", "/schemaId");
        assertInvalid("{\"schemaId\":\"azureMonitorCommonAlertSchema\"}", "/data");
        assertInvalid("{\"schemaId\":\"azureMonitorCommonAlertSchema\",\"data\":{\"essentials\":{}}}", "/data/essentials/alertId");
        assertInvalid("{\"schemaId\":\"azureMonitorCommonAlertSchema\",\"data\":{\"essentials\":{\"alertId\":\"a\",\"alertTargetIDs\":[{}]}}}",
                "/data/essentials/alertTargetIDs/0");
        assertInvalid("{\"schemaId\":\"azureMonitorCommonAlertSchema\",\"data\":{\"essentials\":{\"alertId\":\"a\",\"monitorCondition\":\"Maybe\"}}}",
                "/data/essentials/monitorCondition");
    }

    private void assertInvalid(String json, String pointer) {
        assertThatThrownBy(() -> parser.parse(IngestRequest.of(json.getBytes())))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.pointer()).as(json).isEqualTo(pointer));
    }
}
