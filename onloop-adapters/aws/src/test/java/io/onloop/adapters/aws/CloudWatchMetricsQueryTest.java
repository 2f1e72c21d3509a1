package io.onloop.adapters.aws;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsUnavailableException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloudWatchMetricsQueryTest extends AwsServer {

    static final String CPU = "AWS/EC2:CPUUtilization{InstanceId=i-0a1b2c3d4e5f60718}:Average";
    static final Instant T10 = Instant.parse("2026-11-20T10:00:00Z");

    static void answer(String resource) {
        server.stubFor(post(urlEqualTo("/service/GraniteServiceVersion20100801/operation/GetMetricData"))
                .willReturn(cloudWatch(200, resource, null)));
    }

    static JsonNode call() {
        return cborBody(requests().getFirst());
    }

    @Test
    void aRangeIsOneSeriesWithItsDimensionsAsLabels() {
        answer("cpu-range.json");

        List<MetricSeries> series = new CloudWatchMetricsQuery(aws).range(CPU, T10, T10.plus(Duration.ofMinutes(10)),
                Duration.ofMinutes(5));

        assertThat(series).containsExactly(new MetricSeries(
                Map.of("InstanceId", "i-0a1b2c3d4e5f60718", "__name__", "CPUUtilization", "__namespace__", "AWS/EC2",
                        "__statistic__", "Average"),
                // each period at its end; the period starting at the range's end is still running: left out
                List.of(new MetricSeries.Point(T10.plusSeconds(300).toEpochMilli(), 12.5),
                        new MetricSeries.Point(T10.plusSeconds(600).toEpochMilli(), 13.75))));
        JsonNode request = call();
        JsonNode stat = request.get("MetricDataQueries").get(0).get("MetricStat");
        assertThat(stat.get("Metric").get("Namespace").asString()).isEqualTo("AWS/EC2");
        assertThat(stat.get("Metric").get("MetricName").asString()).isEqualTo("CPUUtilization");
        assertThat(stat.get("Metric").get("Dimensions").get(0).get("Value").asString()).isEqualTo("i-0a1b2c3d4e5f60718");
        assertThat(stat.get("Period").asInt()).isEqualTo(300);
        // the period that ends at the range's start is asked for; the one that starts at its end is not
        assertThat(request.get("StartTime").asDouble()).isEqualTo(T10.minusSeconds(300).getEpochSecond());
        assertThat(request.get("EndTime").asDouble()).isEqualTo(T10.plusSeconds(600).getEpochSecond());
    }

    @Test
    void anInstantIsTheLatestPointAtOrBeforeIt() {
        answer("cpu-range.json");

        var series = new CloudWatchMetricsQuery(aws).instant(CPU, T10.plusSeconds(540));

        assertThat(series).singleElement().satisfies(s -> assertThat(s.points())
                .containsExactly(new MetricSeries.Point(T10.plusSeconds(300).toEpochMilli(), 13.75)));
        assertThat(call().get("StartTime").asDouble()).isEqualTo(T10.plusSeconds(540 - 600).getEpochSecond());
    }

    @Test
    void noDataIsNoSeries() {
        answer("empty.json");

        assertThat(new CloudWatchMetricsQuery(aws).range(CPU, T10, T10.plusSeconds(600), Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void aForbiddenMetricIsUnavailableWithCloudWatchsReason() {
        answer("forbidden-result.json");

        assertThatThrownBy(() -> new CloudWatchMetricsQuery(aws).range(CPU, T10, T10.plusSeconds(600), Duration.ofMinutes(1)))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("CloudWatch answered Forbidden")
                .hasMessageContaining("Not authorized to read metrics of the source account 111122223333");
    }

    @Test
    void anUnreachableEndpointIsUnavailableAfterTheRetries() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var settings = AwsSettings.of("prod-eu-west-1", "eu-west-1")
                .withEndpoint(java.net.URI.create("http://127.0.0.1:" + closedPort), new AwsSettings.StaticKey("AKIDEXAMPLE", "x"))
                .withRetries(2, Duration.ZERO);
        try (var unreachable = new AwsClients(settings)) {
            assertThatThrownBy(() -> new CloudWatchMetricsQuery(unreachable).instant(CPU, T10))
                    .isInstanceOf(MetricsUnavailableException.class)
                    .hasMessageContaining("could not reach AWS for cloudwatch:GetMetricData after 2 attempts");
        }
    }

    @Test
    void aStepCloudWatchCannotUseIsRefusedBeforeAnyCall() {
        assertThatThrownBy(() -> new CloudWatchMetricsQuery(aws).range(CPU, T10, T10.plusSeconds(600), Duration.ofSeconds(90)))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("steps of PT1M30S");
        assertThat(requests()).isEmpty();
    }

    @Test
    void quotedValuesColonsInNamespacesAndPercentiles() {
        var q = CloudWatchQuery.parse("Shop:Checkout:Latency{Route=\"/cart,items\",Label=\"say \\\"hi\\\"\"}:p99.9");

        assertThat(q).isEqualTo(new CloudWatchQuery("Shop:Checkout", "Latency",
                Map.of("Route", "/cart,items", "Label", "say \"hi\""), "p99.9"));
        assertThat(CloudWatchQuery.parse("AWS/Billing:EstimatedCharges:Maximum").dimensions()).isEmpty();
        assertThat(CloudWatchQuery.parse("AWS/Usage:CallCount{}:Sum").metric()).isEqualTo("CallCount");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            AWS/EC2:CPUUtilization                                        | column 9: expected a statistic (Average, Sum
            AWS/EC2:CPUUtilization{InstanceId}:Average                    | column 34: expected '=' after the dimension name 'InstanceId'
            AWS/EC2:CPUUtilization{InstanceId=i-1:Average                 | column 46: expected ',' or '}'
            AWS/EC2:CPUUtilization{InstanceId=i-1}Average                 | column 39: expected ':Statistic' after the closing brace
            AWS/EC2:CPUUtilization{InstanceId=i-1}:Avg                    | column 40: expected a statistic
            AWS/EC2:CPUUtilization{InstanceId=i-1,InstanceId=i-2}:Average | column 39: expected each dimension once, but InstanceId is repeated
            AWS/EC2:CPUUtilization{InstanceId=}:Average                   | column 35: expected a value for the dimension InstanceId
            AWS/EC2:CPUUtilization{InstanceId=\"i-1}:Average              | expected a closing double quote for the value of InstanceId
            :CPUUtilization:Average                                       | column 1: expected Namespace:MetricName
            """)
    void badQueriesSayWhereAndWhat(String query, String message) {
        assertThatThrownBy(() -> CloudWatchQuery.parse(query.replace("\\\"", "\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad CloudWatch query at")
                .hasMessageContaining(message);
        assertThatThrownBy(() -> new CloudWatchMetricsQuery(aws).instant(query.replace("\\\"", "\""), T10))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining(message);
        assertThat(requests()).isEmpty();
    }
}
