package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import io.onloop.domain.rightsizing.usage.CloudUsage;
import io.onloop.domain.rightsizing.usage.FunctionUsage;
import io.onloop.domain.rightsizing.usage.InstanceUsage;
import io.onloop.domain.rightsizing.usage.UsagePoint;
import io.onloop.domain.rightsizing.usage.UsageWindow;
import io.onloop.domain.rightsizing.usage.VolumeUsage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link CloudUsage} answering what a test recorded, by {@link WorkloadRef#key()}. Resources without a
 * record get empty series (as the port promises), not an exception. The window is not applied: the test
 * records the usage it wants read back.
 */
public final class InMemoryCloudUsage implements CloudUsage {

    private final Map<String, InstanceUsage> instances = new ConcurrentHashMap<>();
    private final Map<String, FunctionUsage> functions = new ConcurrentHashMap<>();
    private final Map<String, VolumeUsage> volumes = new ConcurrentHashMap<>();

    public InMemoryCloudUsage record(InstanceUsage usage) {
        instances.put(usage.ref().key(), usage);
        return this;
    }

    public InMemoryCloudUsage record(FunctionUsage usage) {
        functions.put(usage.ref().key(), usage);
        return this;
    }

    public InMemoryCloudUsage record(VolumeUsage usage) {
        volumes.put(usage.ref().key(), usage);
        return this;
    }

    /** Instances without a record get one vCPU and 1 GiB as their size: the fake knows no instance types. */
    @Override
    public List<InstanceUsage> instances(List<Ec2Instance> asked, UsageWindow window) {
        return asked.stream().map(i -> instances.getOrDefault(i.ref().key(), new InstanceUsage(i.ref(), i.instanceType(),
                new Allocation(1, 1L << 30), List.<UsagePoint>of(), Optional.empty(), Optional.of("nothing recorded"))))
                .toList();
    }

    @Override
    public List<FunctionUsage> functions(List<LambdaFunction> asked, UsageWindow window) {
        return asked.stream().map(f -> functions.getOrDefault(f.ref().key(),
                new FunctionUsage(f.ref(), f.memoryMb(), List.of(), Optional.of("nothing recorded")))).toList();
    }

    @Override
    public List<VolumeUsage> volumes(List<EbsVolume> asked, UsageWindow window) {
        return asked.stream().map(v -> volumes.getOrDefault(v.ref().key(),
                new VolumeUsage(v.ref(), window.period().toSeconds(), List.of()))).toList();
    }
}
