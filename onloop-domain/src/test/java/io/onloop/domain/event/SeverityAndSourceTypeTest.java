package io.onloop.domain.event;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeverityAndSourceTypeTest {

    @Test
    void rankRisesWithSeverity() {
        assertThat(Severity.CRITICAL.rank()).isEqualTo(4);
        assertThat(Severity.HIGH.rank()).isEqualTo(3);
        assertThat(Severity.MEDIUM.rank()).isEqualTo(2);
        assertThat(Severity.LOW.rank()).isEqualTo(1);
        assertThat(Severity.INFO.rank()).isEqualTo(0);
    }

    @Test
    void maxIsTheMoreSevereEitherWayRound() {
        for (Severity a : Severity.values()) {
            for (Severity b : Severity.values()) {
                Severity expected = a.rank() >= b.rank() ? a : b;
                assertThat(Severity.max(a, b)).as("%s, %s", a, b).isEqualTo(expected).isEqualTo(Severity.max(b, a));
            }
        }
        assertThat(Severity.max(Severity.LOW, Severity.CRITICAL)).isEqualTo(Severity.CRITICAL);
        assertThat(Severity.max(Severity.HIGH, Severity.INFO)).isEqualTo(Severity.HIGH);
    }

    @Test
    void severityIds() {
        for (Severity s : Severity.values()) {
            assertThat(Severity.fromId(s.id())).isEqualTo(s);
        }
        assertThat(Severity.fromId(" Critical ")).isEqualTo(Severity.CRITICAL);
        assertThatThrownBy(() -> Severity.fromId("sev1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyIngestFormatIdNamesItsSourceType() {
        List<String> formats = List.of("alertmanager", "sns", "eventbridge", "azure-monitor", "gcp-monitoring", "grafana",
                "datadog", "pagerduty", "kubernetes", "cloudevents", "generic");
        for (String id : formats) {
            Optional<SourceType> type = SourceType.fromId(id);
            assertThat(type).as(id).isPresent();
            assertThat(type.get().id()).isEqualTo(id);
        }
        assertThat(Arrays.stream(SourceType.values()).map(SourceType::id).filter(id -> !formats.contains(id)))
                .containsExactly("onloop");
        assertThat(SourceType.fromId("onloop")).contains(SourceType.ONLOOP);
    }

    @Test
    void unknownFormatIdsAreEmpty() {
        assertThat(SourceType.fromId("nagios")).isEmpty();
        assertThat(SourceType.fromId("")).isEmpty();
        assertThat(SourceType.fromId(null)).isEmpty();
        assertThat(SourceType.fromId("AZURE_MONITOR")).isEmpty(); // the enum name is not the id
        assertThat(SourceType.fromId("Alertmanager")).isEmpty();  // ids are exact, as URL segments are
    }
}
