package io.onloop.domain.rightsizing.inventory;

import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.Optional;

/**
 * One container of a Deployment, StatefulSet or DaemonSet as the cluster has it now. Requests and limits
 * are in cores and bytes; empty when not set.
 *
 * @param ref      kind, namespace, name and container
 * @param replicas desired replicas now (for a DaemonSet, the number of nodes it runs on)
 * @param hpa      the HorizontalPodAutoscaler scaling this workload, if any
 */
public record KubernetesContainer(WorkloadRef ref, Optional<Double> cpuRequest, Optional<Double> cpuLimit,
                                  Optional<Double> memoryRequest, Optional<Double> memoryLimit, int replicas,
                                  Optional<Hpa> hpa) {

    /**
     * A HorizontalPodAutoscaler on the workload.
     *
     * @param cpuTargetUtilization the target average CPU utilisation in percent of the request, when it scales on CPU
     * @param memoryTargetUtilization the same for memory
     */
    public record Hpa(String name, int minReplicas, int maxReplicas, Optional<Integer> cpuTargetUtilization,
                      Optional<Integer> memoryTargetUtilization) {
    }
}
