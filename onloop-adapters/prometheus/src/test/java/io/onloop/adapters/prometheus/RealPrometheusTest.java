package io.onloop.adapters.prometheus;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsUnavailableException;
import io.onloop.testkit.prometheus.RealPrometheus;
import io.onloop.testkit.prometheus.TextExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Against the Debian {@code prometheus} binary, scraping a test exporter every second. */
class RealPrometheusTest {
    static TextExporter exporter;
    static RealPrometheus prometheus;
    static PrometheusMetricsQuery query;
    static final AtomicLong scrapes = new AtomicLong();

    @BeforeAll
    static void start() throws InterruptedException {
        exporter = TextExporter.start()
                .gauge("onloop_test_temperature{room=\"a\"}", () -> 21.5)
                .gauge("onloop_test_temperature{room=\"b\"}", () -> 19)
                .gauge("onloop_test_scrapes", scrapes::incrementAndGet);
        prometheus = RealPrometheus.start(List.of(exporter.target()), """
                groups:
                  - name: test
                    rules:
                      - alert: RoomTooWarm
                        expr: onloop_test_temperature > 30
                        for: 2m
                        labels: {severity: warning}
                      - record: room:temperature:max
                        expr: max(onloop_test_temperature)
                """, history());
        query = new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(prometheus.url()));
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (scrapes.get() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(scrapes.get()).as("scrapes; log:\n%s", prometheus.log()).isGreaterThanOrEqualTo(4);
    }

    /** An hour of a series from before Prometheus started, one point a minute, rising by one each minute. */
    static String history() {
        long end = Instant.now().minusSeconds(120).getEpochSecond();
        StringBuilder om = new StringBuilder("# TYPE onloop_test_history gauge\n");
        for (int i = 0; i < 60; i++) {
            om.append("onloop_test_history{room=\"a\"} ").append(i).append(' ').append(end - (59 - i) * 60L).append('\n');
        }
        return om.append("# EOF\n").toString();
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void rangeQueryReturnsTheScrapedSamples() {
        Instant now = Instant.now();
        List<MetricSeries> series = query.range("onloop_test_temperature", now.minusSeconds(3), now, Duration.ofSeconds(1));

        assertThat(series).extracting(s -> s.labels().get("room")).containsExactlyInAnyOrder("a", "b");
        MetricSeries a = series.stream().filter(s -> "a".equals(s.labels().get("room"))).findFirst().orElseThrow();
        assertThat(a.labels()).containsEntry("__name__", "onloop_test_temperature").containsEntry("job", "test");
        assertThat(a.points()).hasSizeGreaterThanOrEqualTo(3).allSatisfy(p -> assertThat(p.value()).isEqualTo(21.5));
        assertThat(a.points().getFirst().epochMillis()).isBetween(now.minusSeconds(3).toEpochMilli(), now.toEpochMilli());
    }

    @Test
    void historyWrittenBeforeTheStartIsQueryable() {
        Instant now = Instant.now();
        List<MetricSeries> series = query.range("onloop_test_history", now.minus(Duration.ofMinutes(61)).minusSeconds(120),
                now.minusSeconds(120), Duration.ofMinutes(1));

        assertThat(series).singleElement().satisfies(s -> {
            assertThat(s.labels()).containsEntry("room", "a");
            assertThat(s.points()).hasSizeGreaterThanOrEqualTo(59);
            assertThat(s.points().getLast().value()).isEqualTo(59);
        });
    }

    @Test
    void instantQueryEvaluatesPromQl() {
        List<MetricSeries> series = query.instant("sum(onloop_test_temperature) / 2", Instant.now());

        assertThat(series).hasSize(1);
        assertThat(series.getFirst().labels()).isEmpty();
        assertThat(series.getFirst().points().getFirst().value()).isEqualTo(20.25);
    }

    @Test
    void aFractionalQueryTimeoutIsAcceptedByPrometheus() {
        var quick = new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(java.net.URI.create(prometheus.url()),
                null, java.time.Duration.ofMillis(1500), null, null, null));
        assertThat(quick.instant("sum(onloop_test_temperature) / 2", Instant.now())).hasSize(1);
    }

    @Test
    void rulesGiveTheAlertingExpressions() {
        assertThat(query.alertingRules()).containsExactly(new PrometheusMetricsQuery.AlertingRule("test", "RoomTooWarm",
                "onloop_test_temperature > 30", Duration.ofMinutes(2), Map.of("severity", "warning")));
    }

    @Test
    void badQueryIsRefusedWithPrometheusReason() {
        assertThatThrownBy(() -> query.instant("sum(", Instant.now()))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("bad_data").hasMessageContaining("parse error");
    }

    @Test
    void divisionByZeroGivesInfinity() {
        List<MetricSeries> series = query.instant("onloop_test_temperature{room=\"a\"} / 0", Instant.now());

        assertThat(series.getFirst().points().getFirst().value()).isEqualTo(Double.POSITIVE_INFINITY);
    }
}
