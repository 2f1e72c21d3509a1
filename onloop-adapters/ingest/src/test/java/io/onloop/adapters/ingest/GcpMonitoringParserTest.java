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

/** Google Cloud Monitoring webhook schema 1.2 (see payloads/SOURCES.md). */
class GcpMonitoringParserTest extends EventParserContract {
    private final GcpMonitoringParser parser = new GcpMonitoringParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource("payloads/gcp-monitoring/closed-doc.json", 1),
                Sample.resource("payloads/gcp-monitoring/open-gce.json", 1));
    }

    @Test
    void documentedClosedIncident() throws Exception {
        var a = parser.parse(IngestRequest.of(resource("payloads/gcp-monitoring/closed-doc.json"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(a.fingerprint()).isEqualTo("0.opqiw61fsv7p");
        assertThat(a.occurredAt()).isEqualTo(Instant.ofEpochSecond(1577877071));
        assertThat(a.resource().id()).isEqualTo("example_resource:example=label");
        assertThat(a.resource().name()).isEqualTo("Example Resource");
        assertThat(a.link()).startsWith("https://console.cloud.google.com/monitoring/alerting/incidents/");
        assertThat(a.summary()).isEqualTo("Test Incident");
    }

    @Test
    void openGceIncident() throws Exception {
        var a = parser.parse(IngestRequest.of(resource("payloads/gcp-monitoring/open-gce.json"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.FIRING);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.title()).isEqualTo("server-cpu-alert-policy: VM Instance - CPU utilization");
        assertThat(a.resource().kind()).isEqualTo("gcp");
        assertThat(a.resource().id()).isEqualTo("gce_instance:project_id=my-project,instance_id=1234567890123456789,zone=us-central1-a");
        assertThat(a.occurredAt()).isEqualTo(Instant.ofEpochSecond(1675315787));
        assertThat(a.labels()).containsEntry("observed_value", "0.790").containsEntry("metric_type", "compute.googleapis.com/instance/cpu/utilization")
                .containsEntry("resource_zone", "us-central1-a").containsEntry("resource_instance_id", "1234567890123456789")
                .containsEntry("resource_project_id", "my-project");
    }

    @Test
    void malformedInputSaysWhere() {
        assertInvalid("{}", "/incident");
        assertInvalid("{\"incident\":[]}", "/incident");
        assertInvalid("{\"incident\":{\"state\":\"open\"}}", "/incident/incident_id");
        assertInvalid("{\"incident\":{\"incident_id\":\"1\",\"state\":\"gone\"}}", "/incident/state");
        assertInvalid("{\"incident\":{\"incident_id\":\"1\",\"state\":\"open\",\"started_at\":\"yesterday\"}}", "/incident/started_at");
        assertInvalid("{\"incident\":{\"incident_id\":\"1\",\"state\":\"open\",\"resource\":{\"type\":\"t\",\"labels\":{\"a\":[]}}}}",
                "/incident/resource/labels/a");
    }

    private void assertInvalid(String json, String pointer) {
        assertThatThrownBy(() -> parser.parse(IngestRequest.of(json.getBytes())))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.pointer()).as(json).isEqualTo(pointer));
    }
}
