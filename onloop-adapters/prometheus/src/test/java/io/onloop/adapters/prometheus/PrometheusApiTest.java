package io.onloop.adapters.prometheus;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsUnavailableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Prometheus' HTTP API answers (in its documented JSON, as Prometheus 2.x sends them) served by a real HTTP server. */
class PrometheusApiTest {
    static WireMockServer server;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @BeforeEach
    void reset() {
        server.resetAll();
    }

    private static PrometheusMetricsQuery prometheus() {
        return new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(server.baseUrl()));
    }

    private static void answer(String path, int status, String file) {
        server.stubFor(post(urlPathEqualTo(path)).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(recorded(file))));
    }

    @Test
    void rangeQueryReadsEverySeriesWithItsLabelsAndPoints() {
        answer("/api/v1/query_range", 200, "matrix.json");

        List<MetricSeries> series = prometheus().range("up", Instant.ofEpochSecond(1_700_000_000),
                Instant.ofEpochSecond(1_700_000_045), Duration.ofSeconds(15));

        assertThat(series).hasSize(2);
        assertThat(series.get(0).labels()).isEqualTo(Map.of("__name__", "up", "instance", "localhost:9090", "job", "prometheus"));
        assertThat(series.get(0).points()).containsExactly(new MetricSeries.Point(1_700_000_000_000L, 1),
                new MetricSeries.Point(1_700_000_015_000L, 1), new MetricSeries.Point(1_700_000_030_000L, 0));
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withFormParam("query", equalTo("up"))
                .withFormParam("start", equalTo("1700000000"))
                .withFormParam("end", equalTo("1700000045"))
                .withFormParam("step", equalTo("15"))
                .withFormParam("timeout", equalTo("30s")));
    }

    @Test
    void specialValuesAndFractionalTimestampsAreKept() {
        answer("/api/v1/query_range", 200, "matrix.json");

        var points = prometheus().range("up", Instant.ofEpochSecond(1_700_000_000), Instant.ofEpochSecond(1_700_000_045),
                Duration.ofMillis(15_500)).get(1).points();

        assertThat(points).extracting(MetricSeries.Point::epochMillis)
                .containsExactly(1_700_000_000_500L, 1_700_000_015_500L, 1_700_000_030_500L, 1_700_000_045_500L);
        assertThat(points.get(0).value()).isEqualTo(0.25);
        assertThat(points.get(1).value()).isNaN();
        assertThat(points.get(2).value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(points.get(3).value()).isEqualTo(Double.NEGATIVE_INFINITY);
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query_range")).withFormParam("step", equalTo("15.5")));
    }

    @Test
    void instantQueryGivesOnePointPerSeries() {
        answer("/api/v1/query", 200, "vector.json");

        List<MetricSeries> series = prometheus().instant("pg_up", Instant.ofEpochMilli(1_700_000_100_123L));

        assertThat(series).containsExactly(
                new MetricSeries(Map.of("instance", "db-1:9187", "job", "postgres"), List.of(new MetricSeries.Point(1_700_000_100_123L, 0.8125))),
                new MetricSeries(Map.of(), List.of(new MetricSeries.Point(1_700_000_100_123L, 1e21))));
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query")).withFormParam("time", equalTo("1700000100.123")));
    }

    @Test
    void scalarResultIsOneSeriesWithoutLabels() {
        answer("/api/v1/query", 200, "scalar.json");

        assertThat(prometheus().instant("scalar(42)", Instant.ofEpochSecond(1_700_000_100)))
                .containsExactly(new MetricSeries(Map.of(), List.of(new MetricSeries.Point(1_700_000_100_000L, 42))));
    }

    @Test
    void emptyResultIsNoSeries() {
        answer("/api/v1/query_range", 200, "empty.json");

        assertThat(prometheus().range("nothing", Instant.ofEpochSecond(0), Instant.ofEpochSecond(60), Duration.ofSeconds(15))).isEmpty();
    }

    @Test
    void refusedQueryCarriesPrometheusErrorTypeAndMessage() {
        answer("/api/v1/query_range", 400, "bad_data.json");

        assertThatThrownBy(() -> prometheus().range("up{", Instant.ofEpochSecond(0), Instant.ofEpochSecond(60), Duration.ofSeconds(15)))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("HTTP 400").hasMessageContaining("bad_data")
                .hasMessageContaining("parse error: unexpected \"}\" in label matching");
    }

    @Test
    void timedOutQueryIsUnavailable() {
        answer("/api/v1/query", 503, "timeout.json");

        assertThatThrownBy(() -> prometheus().instant("sum(rate(x[1y]))", Instant.ofEpochSecond(0)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("timeout")
                .hasMessageContaining("query timed out in expression evaluation");
    }

    @Test
    void somethingElseThanPrometheusIsUnavailableWithItsStatus() {
        server.stubFor(post(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withStatus(502).withBody("<html>Bad Gateway</html>")));

        assertThatThrownBy(() -> prometheus().instant("up", Instant.ofEpochSecond(0)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("HTTP 502").hasMessageContaining("Bad Gateway");
    }

    @Test
    void slowAnswerTimesOut() {
        server.stubFor(post(urlPathEqualTo("/api/v1/query")).willReturn(aResponse().withFixedDelay(2_000)
                .withHeader("Content-Type", "application/json").withBody(recorded("vector.json"))));
        var prometheus = new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(URI.create(server.baseUrl()),
                Duration.ofSeconds(1), Duration.ofMillis(300), null, null, null));

        assertThatThrownBy(() -> prometheus.instant("up", Instant.ofEpochSecond(0)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("did not answer within");
    }

    @Test
    void unreachableServerIsUnavailable() {
        var prometheus = PrometheusMetricsQuery.Settings.of("http://127.0.0.1:1");

        assertThatThrownBy(() -> new PrometheusMetricsQuery(prometheus).instant("up", Instant.ofEpochSecond(0)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("unreachable");
    }

    @Test
    void bearerTokenAndBasicAuthAreSent() {
        answer("/api/v1/query", 200, "vector.json");
        new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(URI.create(server.baseUrl()), null, null,
                "s3cret-token", null, null)).instant("up", Instant.ofEpochSecond(0));
        new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(URI.create(server.baseUrl() + "/"), null, null,
                null, "onloop", "pa:ss")).instant("up", Instant.ofEpochSecond(0));

        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query")).withHeader("Authorization", equalTo("Bearer s3cret-token")));
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query")).withHeader("Authorization", equalTo("Basic b25sb29wOnBhOnNz")));
    }

    @Test
    void alertingRulesListTheAlertsAndSkipRecordingRules() {
        server.stubFor(get(urlEqualTo("/api/v1/rules?type=alert")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(recorded("rules.json"))));

        assertThat(prometheus().alertingRules()).containsExactly(
                new PrometheusMetricsQuery.AlertingRule("node", "DiskAlmostFull",
                        "node_filesystem_avail_bytes / node_filesystem_size_bytes < 0.1", Duration.ofMinutes(5), Map.of("severity", "warning")),
                new PrometheusMetricsQuery.AlertingRule("node", "InstanceDown", "up == 0", Duration.ZERO, Map.of()));
    }

    private static String recorded(String file) {
        try (InputStream in = PrometheusApiTest.class.getResourceAsStream("/prometheus/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
