package io.onloop.adapters.prometheus;

import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.usage.ContainerUsage;
import io.onloop.domain.rightsizing.usage.KubernetesUsage;
import io.onloop.testkit.prometheus.RealPrometheus;
import io.onloop.testkit.prometheus.TextExporter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@link KubernetesUsage}'s PromQL evaluated by the real Prometheus (Debian's package) scraping an exporter that
 * serves the series cAdvisor and kube-state-metrics serve, with their names and labels, every second.
 */
class KubernetesUsageRealPrometheusTest {

    static final double MIB = 1024 * 1024;

    /** When Prometheus first scraped (System.nanoTime, 0 before): the counters grow from then. */
    private final AtomicLong firstScrape = new AtomicLong();

    private double seconds() {
        firstScrape.compareAndSet(0, System.nanoTime());
        return (System.nanoTime() - firstScrape.get()) / 1e9;
    }

    @Test
    void readsCpuMemoryRequestsOomKillsAndThrottlingOfTheWorkloadsPodsOnly() throws InterruptedException {
        try (TextExporter exporter = TextExporter.start()) {
            String a = "namespace=\"shop\",container=\"app\",pod=\"cart-7d9f8b6c5-x2x4z\"";
            String b = "namespace=\"shop\",container=\"app\",pod=\"cart-7d9f8b6c5-k8w2n\"";
            String daemon = "namespace=\"shop\",container=\"app\",pod=\"cart-api-x2x4z\""; // a DaemonSet cart-api: not cart's
            // the exporter declares every series a gauge; rate and increase do not read the type
            // cAdvisor: CPU seconds (b restarts at 10 s after the first scrape: its counter starts again from zero), working set, CFS periods
            exporter.gauge("container_cpu_usage_seconds_total{" + a + "}", () -> 0.25 * seconds());
            exporter.gauge("container_cpu_usage_seconds_total{" + b + "}", () -> 0.75 * (seconds() < 10 ? seconds() : seconds() - 10));
            exporter.gauge("container_cpu_usage_seconds_total{" + daemon + "}", () -> 5 * seconds());
            exporter.gauge("container_memory_working_set_bytes{" + a + "}", () -> 100 * MIB);
            exporter.gauge("container_memory_working_set_bytes{" + b + "}", () -> 300 * MIB);
            exporter.gauge("container_memory_working_set_bytes{" + daemon + "}", () -> 900 * MIB);
            for (String pod : List.of(a, b)) {
                exporter.gauge("container_cpu_cfs_periods_total{" + pod + "}", () -> 10 * seconds());
                exporter.gauge("container_cpu_cfs_throttled_periods_total{" + pod + "}", () -> 2.5 * seconds());
            }
            exporter.gauge("container_oom_events_total{" + b + "}", () -> seconds() < 11 ? 0 : seconds() < 14 ? 1 : 2);
            // kube-state-metrics: requests and limits per pod, and b's last termination an OOM kill from 11 s on
            for (String pod : List.of(a, b)) {
                exporter.gauge("kube_pod_container_resource_requests{" + pod + ",resource=\"cpu\",unit=\"core\"}", () -> 0.5);
                exporter.gauge("kube_pod_container_resource_requests{" + pod + ",resource=\"memory\",unit=\"byte\"}", () -> 256 * MIB);
                exporter.gauge("kube_pod_container_resource_limits{" + pod + ",resource=\"memory\",unit=\"byte\"}", () -> 512 * MIB);
            }
            exporter.gauge("kube_pod_container_status_last_terminated_reason{" + a + ",reason=\"Error\"}", () -> 1);
            exporter.gauge("kube_pod_container_status_last_terminated_reason{" + b + ",reason=\"OOMKilled\"}", () -> seconds() < 11 ? 0 : 1);
            // a StatefulSet "web.v2", and a pod whose name only matches if the dot is not escaped
            exporter.gauge("container_cpu_usage_seconds_total{namespace=\"shop\",container=\"app\",pod=\"web.v2-0\"}", () -> 0.5 * seconds());
            exporter.gauge("container_cpu_usage_seconds_total{namespace=\"shop\",container=\"app\",pod=\"webxv2-0\"}", () -> 0.5 * seconds());
            exporter.gauge("container_memory_working_set_bytes{namespace=\"shop\",container=\"app\",pod=\"web.v2-0\"}", () -> 1000);
            exporter.gauge("container_memory_working_set_bytes{namespace=\"shop\",container=\"app\",pod=\"webxv2-0\"}", () -> 2000);

            try (RealPrometheus prometheus = RealPrometheus.start(List.of(exporter.target()))) {
                long deadline = System.nanoTime() + 15_000_000_000L;
                while (firstScrape.get() == 0) {
                    assertThat(System.nanoTime()).as("no scrape within 15 s:\n%s", prometheus.log()).isLessThan(deadline);
                    Thread.sleep(50);
                }
                // from 8 s on, every 6-second rate window lies within scraped data (rate divides by the whole window)
                Instant start = Instant.now().plusSeconds(8);
                Thread.sleep(18_000);
                Instant end = Instant.now();
                var usage = new KubernetesUsage(new PrometheusMetricsQuery(PrometheusMetricsQuery.Settings.of(prometheus.url())),
                        Duration.ofSeconds(6));

                ContainerUsage cart = usage.read(container("Deployment", "cart"), start, end, Duration.ofSeconds(1));

                assertThat(cart.samples()).as(prometheus.log()).hasSizeGreaterThanOrEqualTo(8);
                // (0.25 + 0.75) / 2 per pod: the DaemonSet's 5 cores are not cart's, and b's restart is no negative rate
                assertThat(cart.samples()).allSatisfy(s -> {
                    assertThat(s.cpuCores()).isBetween(0.4, 0.6);
                    assertThat(s.memoryBytes()).isEqualTo(300 * MIB);
                });
                assertThat(cart.pods()).isEqualTo(2);
                assertThat(cart.cpuRequest()).contains(0.5);
                assertThat(cart.memoryRequest()).contains(256 * MIB);
                assertThat(cart.memoryLimit()).contains(512 * MIB);
                assertThat(cart.cpuLimit()).isEmpty();
                // two OOM events (b killed at 11 s and 14 s); kube-state-metrics only shows b's last termination
                assertThat(cart.oomKills()).isEqualTo(2);
                assertThat(cart.cpuThrottledRatio()).hasValueSatisfying(r -> assertThat(r).isCloseTo(0.25, within(0.02)));

                ContainerUsage web = usage.read(container("StatefulSet", "web.v2"), start, end, Duration.ofSeconds(1));

                assertThat(web.pods()).isEqualTo(1);
                assertThat(web.samples()).isNotEmpty().extracting(UsageSample::memoryBytes).containsOnly(1000.0);
            }
        }
    }

    private static KubernetesContainer container(String kind, String name) {
        return new KubernetesContainer(new WorkloadRef("kubernetes", "test", "shop", kind, name, "app"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1, Optional.empty());
    }
}
