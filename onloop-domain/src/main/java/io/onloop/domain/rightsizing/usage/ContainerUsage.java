package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.UsageHistory;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one container of a workload used over a period, per pod, with the settings and the signs of
 * starvation the metrics show.
 *
 * @param samples           per step: CPU averaged over the workload's pods, memory the highest pod's (see
 *                          {@link KubernetesUsage}); steps with no usable value are left out
 * @param pods              how many distinct pods the samples come from
 * @param cpuRequest        cores, as kube-state-metrics reports the pods' request at the end (else as the inventory has it)
 * @param memoryRequest     bytes, likewise
 * @param cpuLimit          cores, likewise
 * @param memoryLimit       bytes, likewise
 * @param oomKills          out-of-memory kills seen in the period (a lower bound: see {@link KubernetesUsage})
 * @param cpuThrottledRatio the share of CFS periods in which the container was throttled; empty without a CPU limit
 */
public record ContainerUsage(WorkloadRef ref, List<UsageSample> samples, int pods, Optional<Double> cpuRequest,
                             Optional<Double> memoryRequest, Optional<Double> cpuLimit, Optional<Double> memoryLimit,
                             long oomKills, Optional<Double> cpuThrottledRatio) {

    public ContainerUsage {
        Objects.requireNonNull(ref, "ref");
        samples = List.copyOf(samples);
    }

    /**
     * The history a {@link io.onloop.domain.rightsizing.Recommender} reads, with the requests as the current
     * allocation; empty when the container lacks a positive CPU or memory request (a container without
     * requests needs them set, which is a different recommendation).
     */
    public Optional<UsageHistory> history() {
        if (cpuRequest.orElse(0.0) > 0 && memoryRequest.orElse(0.0) > 0) {
            return Optional.of(new UsageHistory(samples, new Allocation(cpuRequest.get(), memoryRequest.get())));
        }
        return Optional.empty();
    }
}
