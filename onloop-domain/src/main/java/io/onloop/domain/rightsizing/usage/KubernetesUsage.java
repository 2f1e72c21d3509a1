package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a Kubernetes container's usage from Prometheus through {@link MetricsQuery}: cAdvisor's series (as the
 * kubelet exposes them at {@code /metrics/cadvisor}) for usage, OOM events and throttling, kube-state-metrics'
 * for requests, limits and OOM-killed terminations. Pods are found by name ({@link PodNames}).
 * <p>
 * Per pod, per step: CPU is {@code rate(container_cpu_usage_seconds_total[5m])} in cores, memory is
 * {@code container_memory_working_set_bytes} (what the kernel's OOM killer weighs), each the highest series of
 * a pod, so a pod scraped by two jobs, or a restarted container whose old series lingers, counts once.
 * Across pods, a step takes the <em>average</em> CPU (the per-pod request is what the average pod needs, and an
 * HPA also scales on the average; an uneven pod shows up as throttling) and the <em>largest</em> memory (one
 * pod over its limit is OOM-killed however small the others are).
 * <p>
 * Counter resets (a restarted container starts at zero) are left to PromQL's {@code rate} and {@code increase},
 * which handle them. Gaps stay gaps: a step without both a CPU and a memory value is not a sample, and NaN,
 * infinite or negative values are ignored. Long periods are read in pieces of at most {@value #MAX_POINTS}
 * steps, under Prometheus' limit of 11,000 points per series.
 */
public final class KubernetesUsage {

    static final int MAX_POINTS = 10_000;

    private final MetricsQuery metrics;
    private final Duration rateWindow;

    /** With the usual 5-minute rate window (at least four scrapes at the default 1-minute interval). */
    public KubernetesUsage(MetricsQuery metrics) {
        this(metrics, Duration.ofMinutes(5));
    }

    public KubernetesUsage(MetricsQuery metrics, Duration rateWindow) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        if (rateWindow.toSeconds() < 1) {
            throw new IllegalArgumentException("the rate window must be at least a second: " + rateWindow);
        }
        this.rateWindow = rateWindow;
    }

    /**
     * The container's usage from {@code start} to {@code end}, one sample per {@code step}.
     *
     * @throws io.onloop.domain.metrics.MetricsUnavailableException when Prometheus cannot answer
     */
    public ContainerUsage read(KubernetesContainer container, Instant start, Instant end, Duration step) {
        if (step.toSeconds() < 1 || !end.isAfter(start)) {
            throw new IllegalArgumentException("need a step of at least a second and an end after the start: "
                    + start + " to " + end + " by " + step);
        }
        WorkloadRef ref = container.ref();
        String selector = selector(ref);
        String period = seconds(Duration.between(start, end));

        List<MetricSeries> cpu = range(cpuQuery(selector), start, end, step);
        List<MetricSeries> memory = range(memoryQuery(selector), start, end, step);
        Map<String, Double> requests = byResource(metrics.instant(settingsQuery("kube_pod_container_resource_requests", selector), end));
        Map<String, Double> limits = byResource(metrics.instant(settingsQuery("kube_pod_container_resource_limits", selector), end));
        long oomEvents = Math.round(single(metrics.instant(
                "sum(increase(container_oom_events_total{" + selector + "}[" + period + "]))", end)).orElse(0.0));
        long oomTerminations = Math.round(single(metrics.instant(
                "sum(max_over_time(kube_pod_container_status_last_terminated_reason{" + selector
                        + ",reason=\"OOMKilled\"}[" + period + "]))", end)).orElse(0.0));
        Optional<Double> throttled = single(metrics.instant(
                "sum(increase(container_cpu_cfs_throttled_periods_total{" + selector + "}[" + period + "]))"
                        + " / sum(increase(container_cpu_cfs_periods_total{" + selector + "}[" + period + "]))", end));

        return new ContainerUsage(ref, samples(cpu, memory), pods(cpu, memory),
                first(requests.get("cpu"), container.cpuRequest()), first(requests.get("memory"), container.memoryRequest()),
                first(limits.get("cpu"), container.cpuLimit()), first(limits.get("memory"), container.memoryLimit()),
                Math.max(oomEvents, oomTerminations), throttled);
    }

    /** {@code namespace="shop",pod=~"cart-...",container="app"} for one container of one workload. */
    static String selector(WorkloadRef ref) {
        return "namespace=" + string(ref.namespace()) + ",pod=~" + string(PodNames.pattern(ref.kind(), ref.name()))
                + ",container=" + string(ref.container());
    }

    String cpuQuery(String selector) {
        return "max by (pod) (rate(container_cpu_usage_seconds_total{" + selector + "}[" + seconds(rateWindow) + "]))";
    }

    static String memoryQuery(String selector) {
        return "max by (pod) (container_memory_working_set_bytes{" + selector + "})";
    }

    /** Requests or limits by resource; kube-state-metrics reports CPU in cores and memory in bytes. */
    static String settingsQuery(String metric, String selector) {
        return "max by (resource) (" + metric + "{" + selector + ",resource=~\"cpu|memory\"})";
    }

    /** A PromQL string literal: backslashes and quotes escaped. */
    static String string(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String seconds(Duration duration) {
        return duration.toSeconds() + "s";
    }

    /** A range query in pieces of at most {@link #MAX_POINTS} steps, each series' points joined in order. */
    private List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
        Map<Map<String, String>, List<MetricSeries.Point>> joined = new LinkedHashMap<>();
        Duration piece = step.multipliedBy(MAX_POINTS - 1);
        for (Instant from = start; !from.isAfter(end); from = from.plus(piece).plus(step)) {
            Instant to = from.plus(piece).isBefore(end) ? from.plus(piece) : end;
            for (MetricSeries series : metrics.range(query, from, to, step)) {
                joined.computeIfAbsent(series.labels(), k -> new ArrayList<>()).addAll(series.points());
            }
        }
        return joined.entrySet().stream().map(e -> new MetricSeries(e.getKey(), e.getValue())).toList();
    }

    private static List<UsageSample> samples(List<MetricSeries> cpu, List<MetricSeries> memory) {
        Map<Long, double[]> cpuSums = new TreeMap<>(); // per second: sum, count
        for (MetricSeries pod : cpu) {
            for (MetricSeries.Point p : pod.points()) {
                if (UsagePoint.usable(p.value())) {
                    double[] acc = cpuSums.computeIfAbsent(p.epochMillis() / 1000, t -> new double[2]);
                    acc[0] += p.value();
                    acc[1]++;
                }
            }
        }
        Map<Long, Double> memoryMax = new TreeMap<>();
        for (MetricSeries pod : memory) {
            for (MetricSeries.Point p : pod.points()) {
                if (UsagePoint.usable(p.value())) {
                    memoryMax.merge(p.epochMillis() / 1000, p.value(), Math::max);
                }
            }
        }
        List<UsageSample> samples = new ArrayList<>();
        cpuSums.forEach((second, acc) -> {
            Double bytes = memoryMax.get(second);
            if (bytes != null) {
                samples.add(new UsageSample(second, acc[0] / acc[1], bytes));
            }
        });
        return samples;
    }

    private static int pods(List<MetricSeries> cpu, List<MetricSeries> memory) {
        Set<String> pods = new HashSet<>();
        for (List<MetricSeries> all : List.of(cpu, memory)) {
            for (MetricSeries series : all) {
                if (series.points().stream().anyMatch(p -> UsagePoint.usable(p.value()))) {
                    pods.add(series.labels().getOrDefault("pod", ""));
                }
            }
        }
        return pods.size();
    }

    private static Map<String, Double> byResource(List<MetricSeries> result) {
        Map<String, Double> values = new TreeMap<>();
        for (MetricSeries series : result) {
            String resource = series.labels().get("resource");
            if (resource != null && !series.points().isEmpty() && UsagePoint.usable(series.points().getLast().value())) {
                values.put(resource, series.points().getLast().value());
            }
        }
        return values;
    }

    /** The value of a query that yields one number; empty when there is no series or it is NaN (0/0). */
    private static Optional<Double> single(List<MetricSeries> result) {
        return result.stream().flatMap(s -> s.points().stream()).map(MetricSeries.Point::value)
                .filter(UsagePoint::usable).findFirst();
    }

    private static Optional<Double> first(Double fromMetrics, Optional<Double> fromInventory) {
        return fromMetrics != null ? Optional.of(fromMetrics) : fromInventory;
    }
}
