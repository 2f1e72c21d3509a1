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

/** Samples from the AWS CloudWatch User Guide, "Alarm events and EventBridge" (see payloads/SOURCES.md). */
class EventBridgeParserTest extends EventParserContract {
    private final EventBridgeParser parser = new EventBridgeParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource("payloads/eventbridge/alarm-single-metric.json", 1),
                Sample.resource("payloads/eventbridge/alarm-metric-math.json", 1),
                Sample.resource("payloads/eventbridge/ec2-state-change.json", 1));
    }

    private NormalizedAlertView parse(String sample) throws Exception {
        return new NormalizedAlertView(parser.parse(IngestRequest.of(resource("payloads/eventbridge/" + sample))).alerts().getFirst());
    }

    private record NormalizedAlertView(io.onloop.domain.event.NormalizedAlert a) {
    }

    @Test
    void theEventsIdIdentifiesADelivery() throws Exception {
        assertThat(parser.parse(IngestRequest.of(resource("payloads/eventbridge/alarm-single-metric.json"))).deliveryId())
                .isEqualTo("c4c1c1c9-6542-e61b-6ef0-8c4d36933a92");
        assertThat(parser.parse(IngestRequest.of(("{\"id\":7,\"detail-type\":\"x\",\"detail\":{}}").getBytes(
                java.nio.charset.StandardCharsets.UTF_8))).deliveryId()).as("an id that is not a string").isNull();
    }

    @Test
    void singleMetricAlarm() throws Exception {
        var a = parse("alarm-single-metric.json").a();
        assertThat(a.status()).isEqualTo(EventStatus.FIRING);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.fingerprint()).isEqualTo("arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh");
        assertThat(a.title()).isEqualTo("ServerCpuTooHigh");
        assertThat(a.resource().id()).isEqualTo("arn:aws:ec2:us-east-1:123456789012:instance/i-12345678901234567");
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2019-10-02T17:04:40.989Z"));
        assertThat(a.labels()).containsEntry("previous_state", "OK").containsEntry("metric_name", "CPUUtilization");
    }

    @Test
    void metricMathAlarm() throws Exception {
        var a = parse("alarm-metric-math.json").a();
        assertThat(a.fingerprint()).endsWith(":alarm:TotalNetworkTrafficTooHigh");
        assertThat(a.labels()).containsEntry("expression", "SUM(METRICS())").containsEntry("metric_name", "NetworkIn");
        assertThat(a.resource().id()).endsWith("instance/i-12345678901234567");
    }

    @Test
    void otherDetailTypesAreInformational() throws Exception {
        var a = parse("ec2-state-change.json").a();
        assertThat(a.status()).isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(a.title()).isEqualTo("EC2 Instance State-change Notification");
        assertThat(a.fingerprint()).startsWith("eventbridge:");
        assertThat(a.resource().id()).isEqualTo("arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111");
    }

    @Test
    void malformedInputSaysWhere() {
        assertInvalid("{}", "/detail-type");
        assertInvalid("{\"detail-type\":\"x\",\"resources\":[1]}", "/resources/0");
        assertInvalid("{\"detail-type\":\"CloudWatch Alarm State Change\"}", "/detail");
        assertInvalid("{\"detail-type\":\"CloudWatch Alarm State Change\",\"detail\":{\"alarmName\":\"a\"}}", "/detail/state");
        assertInvalid("{\"detail-type\":\"CloudWatch Alarm State Change\",\"detail\":{\"alarmName\":\"a\",\"state\":{\"value\":\"BAD\"}}}",
                "/detail/state/value");
        assertInvalid("{\"detail-type\":\"CloudWatch Alarm State Change\",\"detail\":{\"alarmName\":\"a\",\"state\":{\"value\":\"OK\"},"
                + "\"configuration\":{\"metrics\":[{\"metricStat\":{\"metric\":{\"dimensions\":[]}}}]}}}",
                "/detail/configuration/metrics/0/metricStat/metric/dimensions");
    }

    private void assertInvalid(String json, String pointer) {
        assertThatThrownBy(() -> parser.parse(IngestRequest.of(json.getBytes())))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> assertThat(e.pointer()).as(json).isEqualTo(pointer));
    }
}
