package io.onloop.adapters.prometheus;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.onloop.domain.metrics.MetricsUnavailableException;
import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.usage.ContainerUsage;
import io.onloop.domain.rightsizing.usage.KubernetesUsage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link KubernetesUsage} through {@link PrometheusMetricsQuery} against a real HTTP server answering each query
 * in Prometheus' JSON as it answers these queries over cAdvisor and kube-state-metrics series (series reduced
 * to their {@code pod} or {@code resource} label by the aggregation, values as strings, {@code "NaN"} included).
 */
class KubernetesUsageApiTest {

    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final double MIB = 1024 * 1024;
    static WireMockServer server;

    @BeforeAll
    static void startServer() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        answer("/api/v1/query_range", "container_cpu_usage_seconds_total", "kubernetes/cpu.json");
        answer("/api/v1/query_range", "container_memory_working_set_bytes", "kubernetes/memory.json");
        answer("/api/v1/query", "kube_pod_container_resource_requests", "kubernetes/requests.json");
        answer("/api/v1/query", "kube_pod_container_resource_limits", "kubernetes/limits.json");
        answer("/api/v1/query", "container_oom_events_total", "kubernetes/oom_events.json");
        answer("/api/v1/query", "kube_pod_container_status_last_terminated_reason", "kubernetes/oom_terminations.json");
        answer("/api/v1/query", "container_cpu_cfs_throttled_periods_total", "kubernetes/throttled.json");
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void readsADeploymentsUsageFromPrometheusAnswers() {
        var usage = new KubernetesUsage(new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(server.baseUrl())));
        var cart = new KubernetesContainer(new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app"),
                Optional.of(2.0), Optional.empty(), Optional.empty(), Optional.empty(), 2, Optional.empty());

        ContainerUsage result = usage.read(cart, START, START.plus(Duration.ofMinutes(15)), Duration.ofMinutes(5));

        long t0 = START.getEpochSecond();
        // 00:00 both pods; 00:05 k8w2n has no point; 00:10 x2x4z is NaN; 00:15 has CPU but no memory: no sample
        assertThat(result.samples()).containsExactly(
                new UsageSample(t0, 0.5, 300 * MIB),
                new UsageSample(t0 + 300, 0.5, 110 * MIB),
                new UsageSample(t0 + 600, 1.0, 120 * MIB));
        assertThat(result.pods()).isEqualTo(2);
        assertThat(result.history().orElseThrow().current()).isEqualTo(new Allocation(0.5, 256 * MIB));
        assertThat(result.cpuLimit()).contains(1.0);
        assertThat(result.memoryLimit()).contains(512 * MIB);
        assertThat(result.oomKills()).isEqualTo(1); // no OOM event series, one OOM-killed termination
        assertThat(result.cpuThrottledRatio()).contains(0.0712);
        // the pod pattern reaches Prometheus intact through the form encoding
        server.verify(postRequestedFor(urlPathEqualTo("/api/v1/query_range")).withFormParam("query", equalTo(
                "max by (pod) (rate(container_cpu_usage_seconds_total{namespace=\"shop\",pod=~\"cart-[bcdfghjklmnpqrstvwxz2456789]{1,10}"
                        + "-[bcdfghjklmnpqrstvwxz2456789]{5}\",container=\"app\"}[300s]))"))
                .withFormParam("step", equalTo("300")));
    }

    @Test
    void aQueryPrometheusGivesUpOnIsReportedWithItsReason() {
        // a namespace with so many series that the range query times out (503 with errorType "timeout")
        server.stubFor(post(urlPathEqualTo("/api/v1/query_range")).withFormParam("query", containing("namespace=\"big\"")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json").withBody(recorded("timeout.json"))));
        var usage = new KubernetesUsage(new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(server.baseUrl())));
        var big = new KubernetesContainer(new WorkloadRef("kubernetes", "prod", "big", "DaemonSet", "agent", "app"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 200, Optional.empty());

        assertThatThrownBy(() -> usage.read(big, START, START.plus(Duration.ofDays(14)), Duration.ofMinutes(5)))
                .isInstanceOf(MetricsUnavailableException.class)
                .hasMessageContaining("timeout").hasMessageContaining("query timed out in expression evaluation");
    }

    private static void answer(String path, String metric, String file) {
        server.stubFor(post(urlPathEqualTo(path)).withFormParam("query", containing(metric))
                .willReturn(aResponse().withHeader("Content-Type", "application/json").withBody(recorded(file))));
    }

    private static String recorded(String file) {
        try (InputStream in = KubernetesUsageApiTest.class.getResourceAsStream("/prometheus/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
