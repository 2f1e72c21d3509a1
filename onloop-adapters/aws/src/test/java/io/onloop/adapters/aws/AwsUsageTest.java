package io.onloop.adapters.aws;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import io.onloop.domain.metrics.MetricsUnavailableException;
import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import io.onloop.domain.rightsizing.usage.FunctionUsage;
import io.onloop.domain.rightsizing.usage.UsagePoint;
import io.onloop.domain.rightsizing.usage.UsageWindow;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AwsUsageTest extends AwsServer {

    static final Instant NOW = Instant.parse("2026-11-21T00:00:00Z");
    static final Instant START = Instant.parse("2026-11-20T00:00:00Z");
    static final long T0 = START.getEpochSecond();
    static final double GIB = 1024.0 * 1024 * 1024;

    AwsUsage usage() {
        return new AwsUsage(aws, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static MappingBuilder cloudWatchCall(String operation) {
        return post(urlEqualTo("/service/GraniteServiceVersion20100801/operation/" + operation));
    }

    static WorkloadRef ref(String kind, String id) {
        return new WorkloadRef("aws", "prod-eu-west-1", "", kind, id, "");
    }

    static List<JsonNode> getMetricDataCalls() {
        return requests().stream().filter(r -> r.getUrl().endsWith("/GetMetricData")).map(AwsServer::cborBody).toList();
    }

    @Test
    void instanceCpuInCoresAndAgentMemoryInBytesAcrossPages() {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeInstanceTypes"))
                .willReturn(ec2(200, "describe-instance-types.xml")));
        server.stubFor(cloudWatchCall("ListMetrics").atPriority(5)
                .willReturn(cloudWatch(200, "list-metrics-agent-memory-page1.json", null)));
        server.stubFor(cloudWatchCall("ListMetrics").withRequestBody(containing("bWVtX3VzZWRfcGVyY2VudDpp")).atPriority(1)
                .willReturn(cloudWatch(200, "list-metrics-agent-memory-page2.json", null)));
        server.stubFor(cloudWatchCall("GetMetricData").atPriority(5).willReturn(cloudWatch(200, "ec2-page1.json", null)));
        server.stubFor(cloudWatchCall("GetMetricData").withRequestBody(containing("AQICAHhLkbKq5nLUxTD"))
                .atPriority(1).willReturn(cloudWatch(200, "ec2-page2.json", null)));
        var withAgent = new Ec2Instance(ref("EC2Instance", "i-0a1b2c3d4e5f60718"), "m5.large", "eu-west-1a", "Linux/UNIX");
        var withoutAgent = new Ec2Instance(ref("EC2Instance", "i-07a6b5c4d3e2f1098"), "t3.medium", "eu-west-1b", "Linux/UNIX");

        var result = usage().instances(List.of(withAgent, withoutAgent),
                new UsageWindow(START, START.plus(Duration.ofHours(3)), Duration.ofHours(1)));

        var m5 = result.get(0);
        assertThat(m5.size()).isEqualTo(new Allocation(2, 8 * GIB));
        // 25%, 50% (page 1) and 100% (page 2) of 2 vCPUs
        assertThat(m5.cpuCores()).containsExactly(new UsagePoint(T0, 0.5), new UsagePoint(T0 + 3600, 1.0),
                new UsagePoint(T0 + 7200, 2.0));
        assertThat(m5.memoryBytes()).get().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactly(new UsagePoint(T0, 0.40 * 8 * GIB), new UsagePoint(T0 + 3600, 0.425 * 8 * GIB),
                        new UsagePoint(T0 + 7200, 0.45 * 8 * GIB));
        assertThat(m5.history()).get().satisfies(h ->
                assertThat(h.samples()).first().isEqualTo(new UsageSample(T0, 0.5, 0.40 * 8 * GIB)));

        var t3 = result.get(1);
        assertThat(t3.size()).isEqualTo(new Allocation(2, 4 * GIB));
        assertThat(t3.cpuCores()).containsExactly(new UsagePoint(T0, 0.2), new UsagePoint(T0 + 3600, 0.4),
                new UsagePoint(T0 + 7200, 0.1));
        assertThat(t3.memoryBytes()).isEmpty();
        assertThat(t3.memoryAbsent()).get().asString().contains("no CWAgent mem_used_percent");
        assertThat(t3.history()).isEmpty();

        var wire = requests().stream().filter(r -> r.getUrl().endsWith("/GetMetricData")).findFirst().orElseThrow();
        assertThat(wire.getHeader("smithy-protocol")).isEqualTo("rpc-v2-cbor");
        assertThat(wire.getHeader("Content-Type")).isEqualTo("application/cbor");
        List<JsonNode> calls = getMetricDataCalls();
        assertThat(calls).hasSize(2);
        JsonNode first = calls.getFirst();
        assertThat(first.get("MetricDataQueries")).extracting(q -> q.get("Id").asString())
                .containsExactly("i0_cpu", "i0_mem", "i1_cpu");
        JsonNode memory = first.get("MetricDataQueries").get(1).get("MetricStat");
        // the agent's metric with the fewest dimensions, matched exactly
        assertThat(memory.get("Metric").get("Dimensions")).hasSize(3);
        assertThat(memory.get("Stat").asString()).isEqualTo("Average");
        assertThat(memory.get("Period").asInt()).isEqualTo(3600);
        assertThat(first.get("ScanBy").asString()).isEqualTo("TimestampAscending");
        assertThat(first.get("StartTime").asDouble()).isEqualTo(T0);
        assertThat(first.has("NextToken")).isFalse();
        assertThat(calls.get(1).get("NextToken").asString()).startsWith("AQICAHhLkbKq5nLUxTD");
        List<JsonNode> listMetrics = requests().stream().filter(r -> r.getUrl().endsWith("/ListMetrics"))
                .map(AwsServer::cborBody).toList();
        assertThat(listMetrics).hasSize(2);
        assertThat(listMetrics.getFirst().get("Namespace").asString()).isEqualTo("CWAgent");
        assertThat(listMetrics.getFirst().get("MetricName").asString()).isEqualTo("mem_used_percent");
        assertThat(listMetrics.getFirst().get("Dimensions").get(0).get("Name").asString()).isEqualTo("InstanceId");
        assertThat(listMetrics.get(1).get("NextToken").asString()).startsWith("bWVtX3VzZWRfcGVyY2VudDpp");
    }

    @Test
    void anAgentMetricWithoutDataInTheWindowIsReportedAsSilent() {
        server.stubFor(post(urlEqualTo("/")).withRequestBody(containing("Action=DescribeInstanceTypes"))
                .willReturn(ec2(200, "describe-instance-types.xml")));
        server.stubFor(cloudWatchCall("ListMetrics").willReturn(cloudWatch(200, "list-metrics-agent-memory-page2.json", null)));
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(200, "no-results.json", null)));
        var instance = new Ec2Instance(ref("EC2Instance", "i-0a1b2c3d4e5f60718"), "m5.large", "eu-west-1a", "Linux/UNIX");

        var usage = usage().instances(List.of(instance), new UsageWindow(START, NOW, Duration.ofHours(1))).getFirst();

        assertThat(usage.memoryBytes()).isEmpty();
        assertThat(usage.memoryAbsent()).get().asString().contains("no data points");
        assertThat(getMetricDataCalls().getFirst().get("MetricDataQueries")).hasSize(2);
    }

    @Test
    void functionDurationsAndInsightsMemoryWhenEnabled() {
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(200, "lambda.json", null)));
        var orders = new LambdaFunction(ref("LambdaFunction", "orders-api"), 1024, "arm64", 30);
        var thumbnailer = new LambdaFunction(ref("LambdaFunction", "thumbnailer"), 3008, "x86_64", 900);

        var result = usage().functions(List.of(orders, thumbnailer),
                new UsageWindow(START, START.plus(Duration.ofHours(2)), Duration.ofHours(1)));

        assertThat(result.get(0).periods()).containsExactly(
                new FunctionUsage.Period(T0, 1200, 0, 0, Optional.of(112.5), Optional.of(640.0), Optional.of(201.0)),
                new FunctionUsage.Period(T0 + 3600, 3600, 3, 0, Optional.of(180.25), Optional.of(2950.0), Optional.of(233.0)));
        assertThat(result.get(0).peakMemoryUsedMb()).contains(233.0);
        assertThat(result.get(0).memoryAbsent()).isEmpty();
        assertThat(result.get(1).periods()).containsExactly(
                new FunctionUsage.Period(T0 + 3600, 40, 0, 7, Optional.of(41000.0), Optional.of(88000.0), Optional.empty()));
        assertThat(result.get(1).memoryAbsent()).get().asString().contains("enable Lambda Insights");

        JsonNode queries = getMetricDataCalls().getFirst().get("MetricDataQueries");
        assertThat(queries).hasSize(12);
        JsonNode insights = queries.get(5).get("MetricStat");
        assertThat(insights.get("Metric").get("Namespace").asString()).isEqualTo("LambdaInsights");
        assertThat(insights.get("Metric").get("Dimensions").get(0).get("Name").asString()).isEqualTo("function_name");
        assertThat(queries.get(4).get("MetricStat").get("Stat").asString()).isEqualTo("Maximum");
    }

    @Test
    void volumeOperationsAndBytesGiveRatesToCheckAgainstGp3() {
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(200, "ebs.json", null)));
        var gp2 = new EbsVolume(ref("EBSVolume", "vol-049df61146c4d7901"), "gp2", 100, Optional.of(300), Optional.empty(),
                Optional.of("i-0a1b2c3d4e5f60718"));

        var volume = usage().volumes(List.of(gp2), new UsageWindow(START, START.plus(Duration.ofMinutes(10)),
                Duration.ofMinutes(5))).getFirst();

        assertThat(volume.periodSeconds()).isEqualTo(300);
        assertThat(volume.periods()).hasSize(2);
        assertThat(volume.peakIops()).isEqualTo(1000);              // (240,000 + 60,000) / 300 s
        assertThat(volume.peakThroughputMibps()).isEqualTo(40);     // (9,000 + 3,000 MiB) / 300 s
        assertThat(volume.fitsGp3Baseline()).isTrue();
    }

    @Test
    void anOldStartWidensThePeriodToWhatCloudWatchStillKeeps() {
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(200, "ebs.json", null)));
        var gp2 = new EbsVolume(ref("EBSVolume", "vol-049df61146c4d7901"), "gp2", 100, Optional.of(300), Optional.empty(),
                Optional.empty());

        var volume = usage().volumes(List.of(gp2), new UsageWindow(NOW.minus(Duration.ofDays(30)), NOW, Duration.ofMinutes(1)))
                .getFirst();

        assertThat(volume.periodSeconds()).isEqualTo(300);
        assertThat(getMetricDataCalls().getFirst().get("MetricDataQueries").get(0).get("MetricStat").get("Period").asInt())
                .isEqualTo(300);
    }

    @Test
    void manyResourcesAreReadInCallsOfAtMost500Queries() {
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(200, "no-results.json", null)));
        List<EbsVolume> volumes = IntStream.range(0, 130).mapToObj(i -> new EbsVolume(ref("EBSVolume", "vol-" + i), "gp3", 10,
                Optional.of(3000), Optional.of(125), Optional.empty())).toList();

        var result = usage().volumes(volumes, new UsageWindow(START, START.plus(Duration.ofHours(1)), Duration.ofMinutes(5)));

        assertThat(result).hasSize(130).allSatisfy(v -> assertThat(v.periods()).isEmpty());
        assertThat(getMetricDataCalls()).extracting(c -> c.get("MetricDataQueries").size()).containsExactly(500, 20);
    }

    @Test
    void throttlingIsRetriedThenReported() {
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(400, "throttling.json", "Throttling;Sender")));

        assertThatThrownBy(() -> usage().volumes(List.of(new EbsVolume(ref("EBSVolume", "vol-1"), "gp2", 10, Optional.of(100),
                Optional.empty(), Optional.empty())), new UsageWindow(START, NOW, Duration.ofHours(1))))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("AWS kept throttling cloudwatch:GetMetricData (Throttling) after 3 attempts");
        assertThat(requests()).hasSize(3);
    }

    @Test
    void accessDeniedNamesThePermission() {
        server.stubFor(cloudWatchCall("GetMetricData").willReturn(cloudWatch(403, "access-denied.json", "AccessDenied;Sender")));

        assertThatThrownBy(() -> usage().functions(List.of(new LambdaFunction(ref("LambdaFunction", "f"), 128, "x86_64", 3)),
                new UsageWindow(START, NOW, Duration.ofHours(1))))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("AWS denied cloudwatch:GetMetricData (AccessDenied")
                .hasMessageContaining("the credentials need the IAM permission cloudwatch:GetMetricData");
        assertThat(requests()).hasSize(1);
    }
}
