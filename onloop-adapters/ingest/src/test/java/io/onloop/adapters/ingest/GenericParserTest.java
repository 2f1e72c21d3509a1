package io.onloop.adapters.ingest;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Resource;
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

/** onloop's generic format, as documented in docs/formats/generic.md (the samples are that page's examples). */
class GenericParserTest extends EventParserContract {
    private final GenericParser parser = new GenericParser();

    @Override
    protected EventParser parser() {
        return parser;
    }

    @Override
    protected List<Sample> validSamples() {
        return List.of(Sample.resource("payloads/generic/single.json", 1), Sample.resource("payloads/generic/batch.json", 3));
    }

    @Test
    void singleEvent() throws Exception {
        var a = parser.parse(IngestRequest.of(resource("payloads/generic/single.json"))).alerts().getFirst();
        assertThat(a.status()).isEqualTo(EventStatus.FIRING);
        assertThat(a.severity()).isEqualTo(Severity.HIGH);
        assertThat(a.resource()).isEqualTo(new Resource("host", "db-1.internal", "db-1"));
        assertThat(a.occurredAt()).isEqualTo(Instant.parse("2024-05-01T02:00:00Z"));
        assertThat(a.fingerprint()).hasSize(64);
        assertThat(a.link()).isEqualTo("https://ci.example.com/jobs/pg-backup/1234");
    }

    @Test
    void batchDefaultsAndStringResources() throws Exception {
        var alerts = parser.parse(IngestRequest.of(resource("payloads/generic/batch.json"))).alerts();
        assertThat(alerts.get(0).fingerprint()).isEqualTo("cert-expiry-shop");
        assertThat(alerts.get(0).status()).isEqualTo(EventStatus.FIRING);
        assertThat(alerts.get(0).resource().kind()).isEqualTo("aws");
        assertThat(alerts.get(1).status()).isEqualTo(EventStatus.RESOLVED);
        assertThat(alerts.get(1).severity()).isEqualTo(Severity.MEDIUM);
        assertThat(alerts.get(2).status()).isEqualTo(EventStatus.INFORMATIONAL);
        assertThat(alerts.get(2).resource()).isEqualTo(new Resource("service", "checkout", "checkout"));
    }

    @Test
    void defaultFingerprintIgnoresLabelOrderButNotLabels() throws Exception {
        String a = fp("{\"title\":\"t\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}}");
        assertThat(fp("{\"title\":\"t\",\"labels\":{\"b\":\"2\",\"a\":\"1\"}}")).isEqualTo(a);
        assertThat(fp("{\"title\":\"t\",\"labels\":{\"a\":\"1\",\"b\":\"3\"}}")).isNotEqualTo(a);
        assertThat(fp("{\"title\":\"t\",\"labels\":{\"a\":\"1\",\"b\":\"2\"},\"resource\":\"x\"}")).isNotEqualTo(a);
    }

    private String fp(String json) throws Exception {
        return parser.parse(IngestRequest.of(json.getBytes())).alerts().getFirst().fingerprint();
    }

    @Test
    void malformedInputSaysWhere() {
        assertInvalid("{}", "/title");
        assertInvalid("{\"title\":\"\"}", "/title");
        assertInvalid("{\"title\":7}", "/title");
        assertInvalid("{\"title\":\"t\",\"status\":\"burning\"}", "/status");
        assertInvalid("{\"title\":\"t\",\"severity\":\"sev1\"}", "/severity");
        assertInvalid("{\"title\":\"t\",\"labels\":{\"n\":1}}", "/labels/n");
        assertInvalid("{\"title\":\"t\",\"resource\":[]}", "/resource");
        assertInvalid("{\"title\":\"t\",\"resource\":{\"kind\":\"host\"}}", "/resource/id");
        assertInvalid("{\"title\":\"t\",\"occurredAt\":\"yesterday\"}", "/occurredAt");
        // a time onloop cannot store is refused, not replaced by the receive time
        assertInvalid("{\"title\":\"t\",\"occurredAt\":\"0000-12-31T23:00:00Z\"}", "/occurredAt");
        assertInvalid("{\"events\":{}}", "/events");
        assertInvalid("{\"events\":[{\"title\":\"ok\"},{\"title\":\"t\",\"labels\":{\"a/b\":false}}]}", "/events/1/labels/a~1b");
        assertInvalid("{\"events\":[\"x\"]}", "/events/0");
    }

    private void assertInvalid(String json, String pointer) {
        assertThatThrownBy(() -> parser.parse(IngestRequest.of(json.getBytes())))
                .isInstanceOfSatisfying(InvalidPayloadException.class, e -> {
                    assertThat(e.pointer()).as(json).isEqualTo(pointer);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }
}
