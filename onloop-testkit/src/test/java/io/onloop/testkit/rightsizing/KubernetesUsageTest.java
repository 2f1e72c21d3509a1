package io.onloop.testkit.rightsizing;

import io.onloop.domain.metrics.MetricsUnavailableException;
import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.usage.ContainerUsage;
import io.onloop.domain.rightsizing.usage.KubernetesUsage;
import io.onloop.testkit.metrics.InMemoryMetricsQuery;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesUsageTest {

    static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(5);
    static final double MIB = 1024 * 1024;

    static final String SAFE = "[bcdfghjklmnpqrstvwxz2456789]";
    static final String CART = "namespace=\"shop\",pod=~\"cart-" + SAFE + "{1,10}-" + SAFE + "{5}\",container=\"app\"";
    static final String DB = "namespace=\"shop\",pod=~\"db-(0|[1-9][0-9]*)\",container=\"app\"";

    final InMemoryMetricsQuery metrics = new InMemoryMetricsQuery();
    final KubernetesUsage usage = new KubernetesUsage(metrics);

    @Test
    void asksForTheWorkloadsPodsByNameWithEscapedNames() {
        usage.read(container("Deployment", "web.v2", Optional.empty(), Optional.empty()), START, START.plus(STEP.multipliedBy(2)), STEP);

        var pods = "namespace=\"shop\",pod=~\"web\\\\.v2-[bcdfghjklmnpqrstvwxz2456789]{1,10}-[bcdfghjklmnpqrstvwxz2456789]{5}\",container=\"app\"";
        assertThat(metrics.calls()).extracting(InMemoryMetricsQuery.Call::query).containsExactly(
                "max by (pod) (rate(container_cpu_usage_seconds_total{" + pods + "}[300s]))",
                "max by (pod) (container_memory_working_set_bytes{" + pods + "})",
                "max by (resource) (kube_pod_container_resource_requests{" + pods + ",resource=~\"cpu|memory\"})",
                "max by (resource) (kube_pod_container_resource_limits{" + pods + ",resource=~\"cpu|memory\"})",
                "sum(increase(container_oom_events_total{" + pods + "}[600s]))",
                "sum(max_over_time(kube_pod_container_status_last_terminated_reason{" + pods + ",reason=\"OOMKilled\"}[600s]))",
                "sum(increase(container_cpu_cfs_throttled_periods_total{" + pods + "}[600s]))"
                        + " / sum(increase(container_cpu_cfs_periods_total{" + pods + "}[600s]))");
        assertThat(metrics.calls().getFirst().step()).isEqualTo(STEP);
    }

    @Test
    void averagesCpuAndTakesTheLargestMemoryAcrossPodsPerStep() {
        pod(cpu(CART), "cart-7d9f8b6c5-x2x4z", 0.25, 0.5, 0.75, 1.0);
        pod(cpu(CART), "cart-7d9f8b6c5-k8w2n", 0.75, Double.NaN, 0.25, 0.5);
        pod(memory(CART), "cart-7d9f8b6c5-x2x4z", 100 * MIB, 110 * MIB, 120 * MIB, Double.NaN);
        pod(memory(CART), "cart-7d9f8b6c5-k8w2n", 300 * MIB, 90 * MIB, -1, Double.NaN);

        ContainerUsage result = read(3);

        long t0 = START.getEpochSecond();
        // step 1: the NaN pod is left out of the CPU average; step 3: no memory at all, so no sample
        assertThat(result.samples()).containsExactly(
                new UsageSample(t0, 0.5, 300 * MIB),
                new UsageSample(t0 + 300, 0.5, 110 * MIB),
                new UsageSample(t0 + 600, 0.5, 120 * MIB));
        assertThat(result.pods()).isEqualTo(2);
    }

    @Test
    void requestsAndLimitsComeFromKubeStateMetricsAndOtherwiseFromTheInventory() {
        Instant end = START.plus(STEP);
        metrics.add(settings("requests", CART), Map.of("resource", "cpu"), end, 0.5)
                .add(settings("requests", CART), Map.of("resource", "memory"), end, 256 * MIB)
                .add(settings("limits", CART), Map.of("resource", "memory"), end, 512 * MIB);
        pod(cpu(CART), "cart-7d9f8b6c5-x2x4z", 0.1, 0.2);
        pod(memory(CART), "cart-7d9f8b6c5-x2x4z", 100 * MIB, 120 * MIB);

        ContainerUsage result = usage.read(container("Deployment", "cart", Optional.of(2.0), Optional.of(4.0)), START, end, STEP);

        assertThat(result.cpuRequest()).contains(0.5);
        assertThat(result.memoryRequest()).contains(256 * MIB);
        assertThat(result.cpuLimit()).contains(4.0); // kube-state-metrics has none: the inventory's
        assertThat(result.memoryLimit()).contains(512 * MIB);
        assertThat(result.history()).hasValueSatisfying(h -> {
            assertThat(h.current()).isEqualTo(new Allocation(0.5, 256 * MIB));
            assertThat(h.samples()).hasSize(2);
        });
    }

    @Test
    void withoutAMemoryRequestThereIsNoHistoryForTheRecommender() {
        metrics.add(settings("requests", CART), Map.of("resource", "cpu"), START.plus(STEP), 0.5);

        ContainerUsage result = usage.read(container("Deployment", "cart", Optional.empty(), Optional.empty()),
                START, START.plus(STEP), STEP);

        assertThat(result.cpuRequest()).contains(0.5);
        assertThat(result.memoryRequest()).isEmpty();
        assertThat(result.history()).isEmpty();
    }

    @Test
    void countsOomKillsFromTheLargerOfTheTwoSourcesAndReadsTheThrottledShare() {
        Instant end = START.plus(STEP.multipliedBy(3));
        metrics.add("sum(increase(container_oom_events_total{" + CART + "}[900s]))", Map.of(), end, 1.0)
                .add("sum(max_over_time(kube_pod_container_status_last_terminated_reason{" + CART
                        + ",reason=\"OOMKilled\"}[900s]))", Map.of(), end, 2.0)
                .add(throttled(CART, "900s"), Map.of(), end, 0.25);

        ContainerUsage result = read(3);

        assertThat(result.oomKills()).isEqualTo(2);
        assertThat(result.cpuThrottledRatio()).contains(0.25);
    }

    @Test
    void noCfsPeriodsMeansNoThrottledShareRatherThanNaN() {
        metrics.add(throttled(CART, "900s"), Map.of(), START.plus(STEP.multipliedBy(3)), Double.NaN);

        ContainerUsage result = read(3);

        assertThat(result.cpuThrottledRatio()).isEmpty();
        assertThat(result.oomKills()).isZero();
    }

    @Test
    void readsALongPeriodInPiecesUnderPrometheusPointLimit() {
        Duration step = Duration.ofSeconds(10);
        int steps = 25_000; // about three days: more than the 11,000 points Prometheus returns per series
        for (int i = 0; i <= steps; i++) {
            Instant t = START.plus(step.multipliedBy(i));
            metrics.add(cpu(DB), Map.of("pod", "db-0"), t, 0.1).add(memory(DB), Map.of("pod", "db-0"), t, 64 * MIB);
        }

        ContainerUsage result = usage.read(container("StatefulSet", "db", Optional.empty(), Optional.empty()),
                START, START.plus(step.multipliedBy(steps)), step);

        var cpuCalls = metrics.calls().stream().filter(c -> c.query().equals(cpu(DB))).toList();
        assertThat(cpuCalls).hasSize(3).allSatisfy(c ->
                assertThat(Duration.between(c.start(), c.end()).dividedBy(step)).isLessThan(11_000));
        assertThat(cpuCalls.getFirst().start()).isEqualTo(START);
        assertThat(cpuCalls.getLast().end()).isEqualTo(START.plus(step.multipliedBy(steps)));
        // every step once, none twice (UsageHistory would refuse a repeated time)
        assertThat(result.samples()).hasSize(steps + 1);
        assertThat(result.samples().getLast().epochSecond()).isEqualTo(START.getEpochSecond() + 10L * steps);
    }

    @Test
    void anUnreachablePrometheusIsReportedAsSuch() {
        metrics.fail(cpu(CART), "prometheus unreachable: ConnectException prometheus:9090");

        assertThatThrownBy(() -> read(3)).isInstanceOf(MetricsUnavailableException.class).hasMessageContaining("prometheus:9090");
    }

    private ContainerUsage read(int steps) {
        return usage.read(container("Deployment", "cart", Optional.empty(), Optional.empty()),
                START, START.plus(STEP.multipliedBy(steps)), STEP);
    }

    private static KubernetesContainer container(String kind, String name, Optional<Double> cpuRequest, Optional<Double> cpuLimit) {
        return new KubernetesContainer(new WorkloadRef("kubernetes", "prod", "shop", kind, name, "app"),
                cpuRequest, cpuLimit, Optional.empty(), Optional.empty(), 2, Optional.empty());
    }

    /** One pod's values at START, START + STEP, ... */
    private void pod(String query, String name, double... values) {
        for (int i = 0; i < values.length; i++) {
            metrics.add(query, Map.of("pod", name), START.plus(STEP.multipliedBy(i)), values[i]);
        }
    }

    private static String cpu(String pods) {
        return "max by (pod) (rate(container_cpu_usage_seconds_total{" + pods + "}[300s]))";
    }

    private static String memory(String pods) {
        return "max by (pod) (container_memory_working_set_bytes{" + pods + "})";
    }

    private static String settings(String requestsOrLimits, String pods) {
        return "max by (resource) (kube_pod_container_resource_" + requestsOrLimits + "{" + pods + ",resource=~\"cpu|memory\"})";
    }

    private static String throttled(String pods, String period) {
        return "sum(increase(container_cpu_cfs_throttled_periods_total{" + pods + "}[" + period + "]))"
                + " / sum(increase(container_cpu_cfs_periods_total{" + pods + "}[" + period + "]))";
    }
}
