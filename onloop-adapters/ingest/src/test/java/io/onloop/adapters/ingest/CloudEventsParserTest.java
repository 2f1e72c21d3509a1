package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Severity;
import io.onloop.domain.ingest.EventParser;
import io.onloop.domain.ingest.IngestRequest;
import io.onloop.domain.ingest.InvalidPayloadException;
import io.onloop.domain.ingest.SourceSettings;
import io.onloop.testkit.ingest.EventParserContract;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudEventsParserTest extends EventParserContract {
    // spec-structured.json and spec-batch.json: the examples of the CloudEvents 1.0 JSON Event Format,
    // https://github.com/cloudevents/spec/blob/v1.0/json-format.md (sections 3.1 and 4); the spec's placeholder
    // "... base64 encoded string ..." is replaced by real base64
    private static final String STRUCTURED = "payloads/cloudevents/spec-structured.json";
    private static final String BATCH = "payloads/cloudevents/spec-batch.json";
    // alert-resolved.json: an alert as a CloudEvent with the severity and dedupkey extensions of docs/formats/cloudevents.md
    private static final String ALERT = "payloads/cloudevents/alert-resolved.json";

    private final CloudEventsParser parser = new CloudEventsParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource(STRUCTURED, 1), Sample.resource(BATCH, 2), Sample.resource(ALERT, 1));
    }

    @Test
    void structuredEventFiresUnlessItSaysOtherwise() throws Exception {
        NormalizedAlert alert = parse(resource(STRUCTURED)).getFirst();

        assertThat(alert.status()).isEqualTo(EventStatus.FIRING);
        assertThat(alert.severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alert.title()).isEqualTo("com.example.someevent");
        assertThat(alert.labels()).containsEntry("type", "com.example.someevent").containsEntry("source", "/mycontext")
                .containsEntry("comexampleextension1", "value").containsEntry("comexampleothervalue", "5");
        assertThat(alert.occurredAt()).isEqualTo(Instant.parse("2018-04-05T17:31:00Z"));
        assertThat(alert.fingerprint()).startsWith("ce:");
        assertThat(alert.resource().kind()).isEqualTo("service");
    }

    @Test
    void aSingleEventsSourceAndIdIdentifyADeliveryABatchHasNone() throws Exception {
        assertThat(parser.parse(IngestRequest.of(resource(STRUCTURED))).deliveryId()).isEqualTo("/mycontext\u0000C234-1234-1234");
        assertThat(parser.parse(IngestRequest.of(resource(BATCH))).deliveryId()).isNull();
    }

    @Test
    void batchYieldsEveryEvent() throws Exception {
        List<NormalizedAlert> alerts = parse(resource(BATCH));
        assertThat(alerts).extracting(NormalizedAlert::title)
                .containsExactly("com.example.someevent", "com.example.someotherevent");
        assertThat(alerts.get(0).fingerprint()).isNotEqualTo(alerts.get(1).fingerprint());
    }

    @Test
    void alertExtensionsAndDataDecideStatusSeverityAndFingerprint() throws Exception {
        NormalizedAlert alert = parse(resource(ALERT)).getFirst();

        assertThat(alert.status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(alert.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(alert.fingerprint()).isEqualTo("web-1/cpu-high");
        assertThat(alert.title()).isEqualTo("io.example.alert: cpu-high");
        assertThat(alert.summary()).isEqualTo("CPU back under 80%");
        assertThat(alert.link()).isEqualTo("https://monitor.example.com/a/8f3a");
        assertThat(alert.resource().kind()).isEqualTo("azure");
        assertThat(alert.resource().name()).isEqualTo("web-1");
    }

    @Test
    void sameSourceSubjectAndTypeIsTheSameAlert() throws Exception {
        String a = "{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"x\"}";
        String b = "{\"specversion\":\"1.0\",\"id\":\"2\",\"source\":\"/s\",\"type\":\"t\",\"subject\":\"x\",\"severity\":\"info\"}";
        NormalizedAlert first = parse(a.getBytes(StandardCharsets.UTF_8)).getFirst();
        NormalizedAlert second = parse(b.getBytes(StandardCharsets.UTF_8)).getFirst();
        assertThat(first.fingerprint()).isEqualTo(second.fingerprint());
        assertThat(second.status()).isEqualTo(EventStatus.INFORMATIONAL);
    }

    @Test
    void binaryModeReadsTheCeHeaders() throws Exception {
        var request = new IngestRequest("{\"status\":\"firing\",\"severity\":\"error\"}".getBytes(StandardCharsets.UTF_8),
                Map.of("ce-specversion", List.of("1.0"), "ce-id", List.of("1234-5678"), "ce-source", List.of("myservice/mysource"),
                        "ce-type", List.of("com.mycompany.myapp.myservice.myevent"), "Content-Type", List.of("application/json")),
                SourceSettings.DEFAULT);
        NormalizedAlert alert = parser.parse(request).alerts().getFirst();
        assertThat(parser.parse(request).deliveryId()).isEqualTo("myservice/mysource\u00001234-5678");
        assertThat(alert.severity()).isEqualTo(Severity.HIGH);
        assertThat(alert.labels()).containsEntry("source", "myservice/mysource");
    }

    @Test
    void binaryModeHeaderValuesArePercentDecoded() throws Exception {
        // the spec's own example (3.1.3.2): "Euro € 😀" travels as "Euro%20%E2%82%AC%20%F0%9F%98%80"
        var request = new IngestRequest(new byte[0],
                Map.of("ce-specversion", List.of("1.0"), "ce-id", List.of("1"), "ce-source", List.of("/s"),
                        "ce-type", List.of("t"), "ce-subject", List.of("Euro%20%E2%82%AC%20%F0%9F%98%80")),
                SourceSettings.DEFAULT);
        NormalizedAlert alert = parser.parse(request).alerts().getFirst();
        assertThat(alert.labels()).containsEntry("subject", "Euro \u20ac \ud83d\ude00");
        assertThat(CloudEventsParser.percentDecoded("100%")).isEqualTo("100%");
        assertThat(CloudEventsParser.percentDecoded("a%zzb%4")).isEqualTo("a%zzb%4");
        assertThat(CloudEventsParser.percentDecoded("%22q%22")).isEqualTo("\"q\"");
    }

    @Test
    void requiredAttributesAreValidatedWithPointers() {
        assertInvalid("{oops}", "", "malformed JSON");
        assertInvalid("42", "", "a batch (an array)");
        assertInvalid("{\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}", "/specversion", "missing required field /specversion");
        assertInvalid("{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}", "/specversion", "unsupported specversion");
        assertInvalid("{\"specversion\":\"1.0\",\"source\":\"/s\",\"type\":\"t\"}", "/id", "missing required field /id");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"type\":\"t\"}", "/source", "missing required field /source");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"\"}", "/type", "/type must not be empty");
        // the spec's attributes are strings: not coerced from numbers (a number id would miss redeliveries)
        assertInvalid("{\"specversion\":1.0,\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"}", "/specversion", "must be a string");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":7,\"source\":\"/s\",\"type\":\"t\"}", "/id", "must be a string");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":5,\"type\":\"t\"}", "/source", "must be a string");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":true}", "/type", "must be a string");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":{},\"source\":\"/s\",\"type\":\"t\"}", "/id", "must be a string");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"time\":\"yesterday\"}", "/time", "RFC 3339");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data\":1,\"data_base64\":\"AA==\"}",
                "/data_base64", "must not both");
        assertInvalid("{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\",\"data_base64\":\"%%%\"}",
                "/data_base64", "not valid base64");
        assertInvalid("[{\"specversion\":\"1.0\",\"id\":\"1\",\"source\":\"/s\",\"type\":\"t\"},{\"specversion\":\"1.0\",\"id\":\"2\",\"type\":\"t\"}]",
                "/1/source", "missing required field /1/source");
        assertInvalid("[\"event\"]", "/0", "must be an object");
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
