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

/**
 * Prometheus' HTTP API answers served by a real HTTP server. The JSON files were recorded from the
 * Debian prometheus 2.42.0 (with curl); timeout.json follows the API's documented error shape (a
 * query timeout could not be provoked on a small server).
 */
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

        List<MetricSeries> series = prometheus().range("up", Instant.ofEpochSecond(1_795_392_467),
                Instant.ofEpochSecond(1_795_392_469), Duration.ofSeconds(1));

        assertThat(series).hasSize(2);
        assertThat(series.get(0).labels()).isEqualTo(Map.of("__name__", "up", "instance", "127.0.0.1:19391", "job", "prometheus"));
        assertThat(series.get(0).points()).containsExactly(new MetricSeries.Point(1_795_392_467_000L, 1),
                new MetricSeries.Point(1_795_392_468_000L, 1), new MetricSeries.Point(1_795_392_469_000L, 1));
        assertThat(series.get(1).labels()).containsEntry("job", "node");
        assertThat(series.get(1).points()).extracting(MetricSeries.Point::value).containsExactly(0.0, 0.0, 0.0);
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query_range"))
                .withFormParam("query", equalTo("up"))
                .withFormParam("start", equalTo("1795392467"))
                .withFormParam("end", equalTo("1795392469"))
                .withFormParam("step", equalTo("1"))
                .withFormParam("timeout", equalTo("30")));
    }

    @Test
    void infinityInARangeIsKept() {
        answer("/api/v1/query_range", 200, "inf.json");

        var points = prometheus().range("up / (up - 1)", Instant.ofEpochSecond(1_795_392_467), Instant.ofEpochSecond(1_795_392_468),
                Duration.ofMillis(1_500)).getFirst().points();

        assertThat(points).containsExactly(new MetricSeries.Point(1_795_392_467_000L, Double.POSITIVE_INFINITY));
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query_range")).withFormParam("step", equalTo("1.5")));
    }

    @Test
    void instantQueryGivesOnePointPerSeriesWithNaNAndInfinitiesAndFractionalTimes() {
        answer("/api/v1/query", 200, "vector.json");

        List<MetricSeries> series = prometheus().instant("...", Instant.ofEpochMilli(1_795_392_472_123L));

        assertThat(series).extracting(s -> s.labels().get("v")).containsExactly("nan", "plus_inf", "minus_inf", "fraction");
        assertThat(series).allSatisfy(s -> assertThat(s.points()).singleElement()
                .extracting(MetricSeries.Point::epochMillis).isEqualTo(1_795_392_472_123L));
        assertThat(series.get(0).points().getFirst().value()).isNaN();
        assertThat(series.get(1).points().getFirst().value()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(series.get(2).points().getFirst().value()).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(series.get(3).points().getFirst().value()).isEqualTo(0.8125);
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query")).withFormParam("time", equalTo("1795392472.123")));
    }

    @Test
    void scalarResultIsOneSeriesWithoutLabels() {
        answer("/api/v1/query", 200, "scalar.json");

        assertThat(prometheus().instant("scalar(vector(42))", Instant.ofEpochSecond(1_795_392_472)))
                .containsExactly(new MetricSeries(Map.of(), List.of(new MetricSeries.Point(1_795_392_472_000L, 42))));
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
                .hasMessageContaining("1:4: parse error: unexpected end of input inside braces");
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
    void anAnswerWhoseBodyStallsAfterItsHeadersTimesOut() {
        // the headers at once, the body dribbled over 3 s: the JDK's request timeout alone ends with the headers
        server.stubFor(post(urlPathEqualTo("/api/v1/query")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(recorded("vector.json"))
                .withChunkedDribbleDelay(30, 3_000)));
        var prometheus = new PrometheusMetricsQuery(new PrometheusMetricsQuery.Settings(URI.create(server.baseUrl()),
                Duration.ofSeconds(1), Duration.ofMillis(500), null, null, null));

        long started = System.nanoTime();
        assertThatThrownBy(() -> prometheus.instant("up", Instant.ofEpochSecond(0)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("did not answer within");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void anAnswerOverTheBoundIsRefusedNotRead() {
        answer("/api/v1/query_range", 200, "matrix.json");
        var prometheus = new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(server.baseUrl()), 100);

        assertThatThrownBy(() -> prometheus.range("up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(60),
                Duration.ofSeconds(15)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("answered too much")
                .hasMessageContaining("narrow the query");
        assertThat(new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(server.baseUrl()))
                .range("up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(60), Duration.ofSeconds(15))).isNotEmpty();
    }

    @Test
    void aPointWhoseTimeIsNotANumberIsUnavailableNotACrash() {
        server.stubFor(post(urlPathEqualTo("/api/v1/query_range")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"success\",\"data\":{\"resultType\":"
                        + "\"matrix\",\"result\":[{\"metric\":{},\"values\":[[\"notatime\",\"1\"]]}]}}")));

        assertThatThrownBy(() -> prometheus().range("up", Instant.ofEpochSecond(0), Instant.ofEpochSecond(60),
                Duration.ofSeconds(15)))
                .isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("a time that is not a number");
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
        assertThat(requests()).singleElement().satisfies(r -> assertThat(r.getMethod().getName()).isEqualTo("GET"));
    }

    /** Taken for "no rules", such an answer dropped every rule's watch and resolved its episodes (exploratory test). */
    @Test
    void rulesAnsweredWithoutTheirGroupsAreAFailureNotNoRules() {
        for (String data : List.of("{}", "{\"groups\":{}}", "{\"groups\":[{\"name\":\"node\"}]}", "[]")) {
            server.stubFor(get(urlEqualTo("/api/v1/rules?type=alert")).willReturn(aResponse()
                    .withHeader("Content-Type", "application/json").withBody("{\"status\":\"success\",\"data\":" + data + "}")));
            assertThatThrownBy(() -> prometheus().alertingRules()).as(data).isInstanceOf(MetricsUnavailableException.class)
                    .hasMessageContaining("data.groups");
        }
        server.stubFor(get(urlEqualTo("/api/v1/rules?type=alert")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"success\",\"data\":{\"groups\":[]}}")));
        assertThat(prometheus().alertingRules()).isEmpty();
    }

    private static List<com.github.tomakehurst.wiremock.verification.LoggedRequest> requests() {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(com.github.tomakehurst.wiremock.client.WireMock.anyUrl()));
    }

    private static String recorded(String file) {
        try (InputStream in = PrometheusApiTest.class.getResourceAsStream("/prometheus/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
