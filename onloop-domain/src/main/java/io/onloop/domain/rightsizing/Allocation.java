package io.onloop.domain.rightsizing;

/**
 * What a workload is given: CPU in cores and memory in bytes (a container's request, a VM's size).
 */
public record Allocation(double cpuCores, double memoryBytes) {

    public Allocation {
        if (!(cpuCores > 0) || !(memoryBytes > 0) || Double.isInfinite(cpuCores) || Double.isInfinite(memoryBytes)) {
            throw new IllegalArgumentException("an allocation needs positive, finite CPU and memory: "
                    + cpuCores + " cores, " + memoryBytes + " bytes");
        }
    }
}
