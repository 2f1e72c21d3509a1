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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Samples follow the Kubernetes API reference for core/v1 Event and events.k8s.io/v1 Event
 * (https://kubernetes.io/docs/reference/kubernetes-api/cluster-resources/event-v1/), and the body
 * kubernetes-event-exporter's webhook receiver sends without a layout (the core/v1 Event without
 * kind/apiVersion, with clusterName and involvedObject labels; https://github.com/resmoio/kubernetes-event-exporter).
 */
class KubernetesParserTest extends EventParserContract {
    private static final String BACKOFF = "payloads/kubernetes/core-v1-backoff.json";
    private static final String LIST = "payloads/kubernetes/core-v1-eventlist.json";
    private static final String EVENTS_API = "payloads/kubernetes/events-k8s-io-v1.json";
    private static final String EXPORTER = "payloads/kubernetes/event-exporter-webhook.json";

    private final KubernetesParser parser = new KubernetesParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource(BACKOFF, 1), Sample.resource(LIST, 2), Sample.resource(EVENTS_API, 1),
                Sample.resource(EXPORTER, 1));
    }

    @Test
    void warningEventFires() throws Exception {
        NormalizedAlert alert = parse(resource(BACKOFF)).getFirst();

        assertThat(alert.status()).isEqualTo(EventStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.sourceSeverity()).isEqualTo("Warning");
        assertThat(alert.fingerprint()).isEqualTo("k8s:5f1e7a2c-9b8d-4c3e-a1f0-123456789abc:BackOff");
        assertThat(alert.resource()).isEqualTo(new Resource("kubernetes", "shop/Pod/web-7d9c8b5f6-x2x4k", "web-7d9c8b5f6-x2x4k"));
        assertThat(alert.title()).isEqualTo("BackOff: shop/Pod/web-7d9c8b5f6-x2x4k");
        assertThat(alert.summary()).startsWith("Back-off restarting failed container web");
        assertThat(alert.labels()).containsEntry("namespace", "shop").containsEntry("kind", "Pod")
                .containsEntry("reason", "BackOff").containsEntry("component", "kubelet").containsEntry("host", "node-a");
        assertThat(alert.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:05:00Z"));
    }

    @Test
    void eventListYieldsEveryItemAndNormalEventsAreInformational() throws Exception {
        List<NormalizedAlert> alerts = parse(resource(LIST));

        assertThat(alerts).hasSize(2);
        assertThat(alerts.get(0).status()).isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(alerts.get(0).severity()).isEqualTo(Severity.INFO);
        assertThat(alerts.get(0).occurredAt()).isEqualTo(Instant.parse("2024-05-01T09:59:00.123456Z"));
        NormalizedAlert node = alerts.get(1);
        assertThat(node.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(node.resource()).isEqualTo(new Resource("kubernetes", "Node/node-b", "node-b"));
    }

    @Test
    void eventsApiV1() throws Exception {
        NormalizedAlert alert = parse(resource(EVENTS_API)).getFirst();

        assertThat(alert.status()).isEqualTo(EventStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.fingerprint()).isEqualTo("k8s:7c0f-db0:OOMKilled");
        assertThat(alert.summary()).isEqualTo("Container db was OOM-killed (limit 512Mi)");
        assertThat(alert.labels()).containsEntry("component", "kubelet").containsEntry("host", "node-a");
        assertThat(alert.occurredAt()).isEqualTo(Instant.parse("2024-05-01T10:04:00Z"));
    }

    @Test
    void eventExporterBody() throws Exception {
        NormalizedAlert alert = parse(resource(EXPORTER)).getFirst();

        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.labels()).containsEntry("cluster", "prod-eu").containsEntry("component", "default-scheduler");
        assertThat(alert.fingerprint()).isEqualTo("k8s:a9b8c7d6:FailedScheduling");
    }

    @Test
    void withoutUidTheFingerprintUsesTheObjectPath() throws Exception {
        String body = "{\"involvedObject\":{\"kind\":\"Deployment\",\"namespace\":\"a\",\"name\":\"b\"},\"reason\":\"X\",\"type\":\"Warning\"}";
        NormalizedAlert alert = parse(body.getBytes(StandardCharsets.UTF_8)).getFirst();
        assertThat(alert.fingerprint()).isEqualTo("k8s:a/Deployment/b:X");
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
    }

    @Test
    void malformedInputSaysWhereItIsWrong() {
        assertInvalid("{", "", "malformed JSON");
        assertInvalid("\"Event\"", "", "expected a JSON object");
        assertInvalid("{\"kind\":\"Pod\"}", "/kind", "Event or EventList");
        assertInvalid("{\"reason\":\"X\"}", "/involvedObject", "missing required field 'involvedObject'");
        assertInvalid("{\"apiVersion\":\"events.k8s.io/v1\",\"involvedObject\":{\"name\":\"a\"}}", "/regarding",
                "missing required field 'regarding'");
        assertInvalid("{\"involvedObject\":\"pod\"}", "/involvedObject", "must be an object");
        assertInvalid("{\"involvedObject\":{\"kind\":\"Pod\"}}", "/involvedObject", "name or a uid");
        assertInvalid("{\"involvedObject\":{\"name\":{}}}", "/involvedObject/name", "must be a string");
        assertInvalid("{\"involvedObject\":{\"name\":\"a\"},\"type\":\"Error\"}", "/type", "Normal or Warning");
        assertInvalid("{\"kind\":\"EventList\",\"items\":{}}", "/items", "must be an array");
        assertInvalid("{\"kind\":\"EventList\",\"items\":[{\"involvedObject\":{\"name\":\"a\"}},7]}", "/items/1",
                "must be an object");
        assertInvalid("{\"kind\":\"EventList\",\"items\":[{\"reason\":\"X\"}]}", "/items/0/involvedObject", "missing");
    }

    private List<NormalizedAlert> parse(byte[] body) throws Exception {
        return parser.parse(IngestRequest.of(body)).alerts();
    }

    private void assertInvalid(String body, String pointer, String message) {
        assertThatThrownBy(() -> parse(body.getBytes(StandardCharsets.UTF_8))).as(body)
                .isInstanceOf(InvalidPayloadException.class).hasMessageContaining(message)
                .extracting(e -> ((InvalidPayloadException) e).pointer()).isEqualTo(pointer);
    }
}
