package io.onloop.domain.routing;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.onloop.domain.routing.Alerts.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InhibitionAndSilenceTest {
    // Alertmanager's documented example: a critical alert mutes warnings with the same alertname and cluster.
    private final InhibitRule rule = new InhibitRule(List.of(Matcher.parse("severity=critical")),
            List.of(Matcher.parse("severity=warning")), List.of("alertname", "cluster"));

    @Test
    void criticalMutesWarningOnlyWhenEqualLabelsAgree() {
        var critical = Map.of("severity", "critical", "alertname", "Disk", "cluster", "a");
        assertThat(rule.inhibits(critical, Map.of("severity", "warning", "alertname", "Disk", "cluster", "a"))).isTrue();
        assertThat(rule.inhibits(critical, Map.of("severity", "warning", "alertname", "Disk", "cluster", "b"))).isFalse();
        assertThat(rule.inhibits(critical, Map.of("severity", "info", "alertname", "Disk", "cluster", "a"))).isFalse();
        // both lack "cluster": missing equals missing
        assertThat(rule.inhibits(Map.of("severity", "critical", "alertname", "X"),
                Map.of("severity", "warning", "alertname", "X"))).isTrue();
    }

    @Test
    void alertsMatchingBothSidesDoNotMuteEachOther() {
        InhibitRule broad = new InhibitRule(List.of(Matcher.parse("team=db")), List.of(Matcher.parse("team=db")),
                List.of());
        assertThat(broad.inhibits(Map.of("team", "db", "a", "1"), Map.of("team", "db", "a", "2"))).isFalse();
        // but one matching only the source side still mutes one matching both
        InhibitRule r = new InhibitRule(List.of(Matcher.parse("severity=~\"critical|warning\"")),
                List.of(Matcher.parse("severity=warning")), List.of());
        assertThat(r.inhibits(Map.of("severity", "critical"), Map.of("severity", "warning"))).isTrue();
    }

    @Test
    void silenceHoldsOnlyBetweenItsStartAndEndAndExpiresNow() {
        Silence s = new Silence(UUID.randomUUID(), "t1", List.of(Matcher.parse("service=db")), T0,
                T0.plus(Duration.ofHours(1)), "ana", "maintenance", T0);
        var db = Map.of("service", "db");
        assertThat(s.mutes(db, T0.minusSeconds(1))).isFalse();
        assertThat(s.mutes(db, T0)).isTrue();
        assertThat(s.mutes(Map.of("service", "web"), T0)).isFalse();
        assertThat(s.mutes(db, T0.plus(Duration.ofHours(1)))).isFalse();
        Silence expired = s.expired(T0.plusSeconds(60));
        assertThat(expired.state(T0.plusSeconds(60))).isEqualTo(Silence.State.EXPIRED);
        assertThat(expired.mutes(db, T0.plusSeconds(61))).isFalse();
        assertThatThrownBy(() -> new Silence(UUID.randomUUID(), "t1", List.of(), T0, T0.plusSeconds(1), "", "", T0))
                .hasMessageContaining("matcher");
        assertThatThrownBy(() -> new Silence(UUID.randomUUID(), "t1", List.of(Matcher.parse("a=b")), T0, T0, "", "",
                T0)).hasMessageContaining("after");
    }
}
