package io.onloop.domain.ingest;

import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventNormalizerTest {
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private final EventNormalizer normalizer = new EventNormalizer(EventLimits.DEFAULT);

    private static NormalizedAlert alertAt(Instant occurredAt) {
        return new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "error", "t", "s", null, Map.of(), "fp",
                occurredAt, null, "{}");
    }

    @Test
    void keepsTheSendersTimeWhenItCanBeStored() {
        Instant t = Instant.parse("2026-11-22T09:59:00Z");
        assertThat(normalizer.toEvent("t", UUID.randomUUID(), SourceType.GENERIC, alertAt(t), NOW).occurredAt())
                .isEqualTo(t);
    }

    @Test
    void aTimeNoDatabaseCanStoreFallsBackToTheReceiveTime() {
        // Parsed from "+999999999-12-31T23:59:59Z": valid ISO-8601, beyond PostgreSQL's timestamptz.
        for (Instant t : new Instant[]{Instant.parse("+999999999-12-31T23:59:59Z"), Instant.parse("-000100-01-01T00:00:00Z")}) {
            assertThat(normalizer.toEvent("t", null, SourceType.GENERIC, alertAt(t), NOW).occurredAt())
                    .as(t.toString()).isEqualTo(NOW);
        }
    }

    @Test
    void aSecretNamedByItsLabelIsRedactedWhereverElseItAppears() {
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "error", "Batch job failed, the pw is Zx81SecretVal",
                "see label; Zx81SecretVal again", io.onloop.domain.event.Resource.of("pod", "batch-Zx81SecretVal"),
                Map.of("zz_password", "Zx81SecretVal", "b_note", "Zx81SecretVal", "pin", "1"), "fp", null,
                "https://ci.example.com/?q=Zx81SecretVal",
                "{\"labels\":{\"zz_password\":\"Zx81SecretVal\"},\"annotations\":{\"summary\":\"pw Zx81SecretVal\"}}");

        var e = normalizer.toEvent("t", null, SourceType.GENERIC, alert, NOW);

        String everything = e.title() + e.summary() + e.resource() + e.labels() + e.link() + e.rawPayload();
        assertThat(everything).doesNotContain("Zx81SecretVal");
        assertThat(e.title()).isEqualTo("Batch job failed, the pw is [REDACTED:password]");
        assertThat(e.labels()).containsEntry("b_note", "[REDACTED:password]").containsEntry("pin", "1");
        assertThat(e.fingerprint()).isEqualTo("fp");
    }

    /** Found merging a Datadog monitor's groups: their fingerprints differed only after character 512. */
    @Test
    void fingerprintsThatDifferOnlyBeyondTheLimitStayDifferent() {
        String scope = "dd:4711:" + "kube_label:some-long-value,".repeat(25);
        String a = fingerprintOf(scope + "pod:api-aaaa");
        String b = fingerprintOf(scope + "pod:api-bbbb");
        assertThat(a).hasSize(EventLimits.DEFAULT.fingerprint()).startsWith("dd:4711:kube_label").isNotEqualTo(b);
        assertThat(fingerprintOf(scope + "pod:api-aaaa")).as("stable").isEqualTo(a);
        assertThat(fingerprintOf("short")).isEqualTo("short");
        String pairAtTheCut = "x".repeat(EventLimits.DEFAULT.fingerprint() - 41) + "\ud83d\ude00".repeat(300);
        assertThat(fingerprintOf(pairAtTheCut)).doesNotContain("\ud83d…");
    }

    private String fingerprintOf(String fingerprint) {
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "t", "s", null, Map.of(), fingerprint,
                null, null, "{}");
        return normalizer.toEvent("t", null, SourceType.DATADOG, alert, NOW).fingerprint();
    }

    @Test
    void nulAndHalvesOfSurrogatePairsBecomeReplacementCharactersAndWholePairsStay() {
        assertThat(EventNormalizer.storable("disk-\ud83d")).isEqualTo("disk-\uFFFD");
        assertThat(EventNormalizer.storable("\ude00x\u0000y\ud83d")).isEqualTo("\uFFFDx\uFFFDy\uFFFD");
        assertThat(EventNormalizer.storable("ok \ud83d\ude00 \ud83d\ud83d\ude00")).isEqualTo("ok \ud83d\ude00 \uFFFD\ud83d\ude00");
        String clean = "nothing to change \ud83d\ude00";
        assertThat(EventNormalizer.storable(clean)).isSameAs(clean);
        var labels = Map.of("\ud83dx", "v\udc00");
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "t\ud83d", "s", null, labels, "fp-\ud83d",
                null, null, "{}");
        var event = normalizer.toEvent("t", null, SourceType.GENERIC, alert, NOW);
        assertThat(event.fingerprint()).isEqualTo("fp-\uFFFD");
        assertThat(event.title()).isEqualTo("t\uFFFD");
        assertThat(event.labels()).containsExactly(Map.entry("\uFFFDx", "v\uFFFD"));
    }

    @Test
    void secretsInTheSummaryAndRawPayloadAreRedacted() {
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "t", "password=hunter22 failed",
                null, Map.of(), "fp", null, null, "{\"dsn\":\"postgres://app:s3cr3t@db:5432/x\"}");
        var event = normalizer.toEvent("t", null, SourceType.GENERIC, alert, NOW);
        assertThat(event.summary()).doesNotContain("hunter22").contains("[REDACTED:password]");
        assertThat(event.rawPayload()).doesNotContain("s3cr3t").contains("[REDACTED:connection-password]");
    }

    @Test
    void membersOfTheRawPayloadNamedAsSecretsAreRedactedAsTheirLabelsAre() {
        String raw = "{\"labels\":{\"authorization\":\"Bearer abcdefghijklmnop\",\"session_id\":\"opaque\","
                + "\"Cookie\" : \"sid=x\\\"y\",\"team\":\"pay\",\"severity\":\"high\"},\"text\":\"the \\\"token\\\" label\"}";
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "t", "s", null, Map.of(), "fp", null, null, raw);
        String stored = normalizer.toEvent("t", null, SourceType.GENERIC, alert, NOW).rawPayload();
        assertThat(stored).isEqualTo("{\"labels\":{\"authorization\":\"[REDACTED:password]\",\"session_id\":\"[REDACTED:password]\","
                + "\"Cookie\" : \"[REDACTED:password]\",\"team\":\"pay\",\"severity\":\"high\"},\"text\":\"the \\\"token\\\" label\"}");
    }

    @Test
    void secretsInTheTitleLabelsAndLinkAreRedactedToo() {
        var labels = new java.util.LinkedHashMap<String, String>();
        labels.put("alertname", "DbDown");
        labels.put("password", "hunter2");
        labels.put("dsn", "postgres://u:pw123@db:5432/x");
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "leaked ghp_" + "a".repeat(36),
                "s", null, labels, "fp", null, "https://grafana.example.com/graph?token=abc123def&x=1", "{}");
        var event = normalizer.toEvent("t", null, SourceType.GENERIC, alert, NOW);
        assertThat(event.title()).isEqualTo("leaked [REDACTED:github-token]");
        assertThat(event.labels()).containsEntry("alertname", "DbDown").containsEntry("password", "[REDACTED:password]")
                .containsEntry("dsn", "postgres://u:[REDACTED:connection-password]@db:5432/x");
        assertThat(event.link()).isEqualTo("https://grafana.example.com/graph?token=[REDACTED:password]&x=1");
        assertThat(event.fingerprint()).as("made from the alert as sent").isEqualTo("fp");

        var probed = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "t", "s",
                new io.onloop.domain.event.Resource("host", "https://admin:InstancePw303@db1:9100", "https://admin:InstancePw303@db1:9100"),
                Map.of(), "fp2", null, null, "{}");
        var e2 = normalizer.toEvent("t", null, SourceType.GENERIC, probed, NOW);
        assertThat(e2.resource().id()).doesNotContain("InstancePw303").contains("[REDACTED:connection-password]");
        assertThat(e2.resource().name()).doesNotContain("InstancePw303");
    }

    @Test
    void nulCharactersBecomeReplacementCharactersAndCollidingLabelNamesMerge() {
        var labels = new java.util.LinkedHashMap<String, String>();
        labels.put("a\u0000", "x");
        labels.put("a\uFFFD", "y");
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "t\u0000", "", null, labels,
                "fp\u0000", null, null, "{}");
        var event = normalizer.toEvent("t", null, SourceType.GENERIC, alert, NOW);
        assertThat(event.fingerprint()).isEqualTo("fp\uFFFD");
        assertThat(event.title()).isEqualTo("t\uFFFD");
        assertThat(event.labels()).containsOnlyKeys("a\uFFFD");
    }
}
