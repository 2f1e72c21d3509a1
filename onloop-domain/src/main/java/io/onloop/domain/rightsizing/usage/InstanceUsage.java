package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.UsageHistory;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What one virtual machine used: CPU in cores (the provider's utilisation percentage times the vCPUs) and,
 * only where an agent inside the machine reports it, memory in bytes. Providers do not see memory from
 * outside the guest, so {@code memoryBytes} is empty when no agent publishes it; {@link #history()} is then
 * empty too, because a memory of zero would read as "uses nothing".
 *
 * @param size         the instance type's vCPUs and memory
 * @param cpuCores     average cores in use per bucket, in time order
 * @param memoryBytes  bytes in use per bucket, in time order; empty when not collected
 * @param memoryAbsent why memory is missing (empty when it is present), for the evidence shown to people
 */
public record InstanceUsage(WorkloadRef ref, String instanceType, Allocation size, List<UsagePoint> cpuCores,
                            Optional<List<UsagePoint>> memoryBytes, Optional<String> memoryAbsent) {

    public InstanceUsage {
        cpuCores = List.copyOf(cpuCores);
        memoryBytes = memoryBytes.map(List::copyOf);
        if (memoryBytes.isEmpty() == memoryAbsent.isEmpty()) {
            throw new IllegalArgumentException("either memory or the reason it is absent, not both or neither");
        }
    }

    /**
     * CPU and memory joined on the buckets both have usable figures for ({@link UsagePoint#usable}), for the
     * recommenders; empty when memory is not collected.
     */
    public Optional<UsageHistory> history() {
        return memoryBytes.map(memory -> {
            Map<Long, Double> memoryAt = memory.stream().filter(p -> UsagePoint.usable(p.value()))
                    .collect(Collectors.toMap(UsagePoint::epochSecond, UsagePoint::value, (a, b) -> b));
            List<UsageSample> samples = new ArrayList<>();
            for (UsagePoint cpu : cpuCores) {
                Double bytes = memoryAt.get(cpu.epochSecond());
                if (bytes != null && UsagePoint.usable(cpu.value())) {
                    samples.add(new UsageSample(cpu.epochSecond(), cpu.value(), bytes));
                }
            }
            return new UsageHistory(samples, size);
        });
    }

    /** The highest CPU bucket in cores; 0 without data. */
    public double peakCpuCores() {
        return cpuCores.stream().mapToDouble(UsagePoint::value).max().orElse(0);
    }
}
