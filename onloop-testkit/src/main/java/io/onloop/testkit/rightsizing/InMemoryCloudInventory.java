package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.inventory.CloudInventory;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link CloudInventory} holding what a test puts in it; {@link #failWith} makes every read fail. */
public final class InMemoryCloudInventory implements CloudInventory {

    private final List<Ec2Instance> instances = new CopyOnWriteArrayList<>();
    private final List<LambdaFunction> functions = new CopyOnWriteArrayList<>();
    private final List<EbsVolume> volumes = new CopyOnWriteArrayList<>();
    private volatile String failure;

    public InMemoryCloudInventory add(Ec2Instance instance) {
        instances.add(instance);
        return this;
    }

    public InMemoryCloudInventory add(LambdaFunction function) {
        functions.add(function);
        return this;
    }

    public InMemoryCloudInventory add(EbsVolume volume) {
        volumes.add(volume);
        return this;
    }

    /** Every read from now on throws {@link InventoryUnavailableException} with this message; null heals. */
    public void failWith(String message) {
        failure = message;
    }

    @Override
    public List<Ec2Instance> instances() {
        check();
        return List.copyOf(instances);
    }

    @Override
    public List<LambdaFunction> functions() {
        check();
        return List.copyOf(functions);
    }

    @Override
    public List<EbsVolume> volumes() {
        check();
        return List.copyOf(volumes);
    }

    private void check() {
        String message = failure;
        if (message != null) {
            throw new InventoryUnavailableException(message, null);
        }
    }
}
