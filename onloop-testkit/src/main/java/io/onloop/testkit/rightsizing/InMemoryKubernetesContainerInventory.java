package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.inventory.KubernetesContainerInventory;

import java.util.ArrayList;
import java.util.List;

/** A cluster held in memory: the containers and skipped entries a test puts in are what {@link #scan()} returns. */
public final class InMemoryKubernetesContainerInventory implements KubernetesContainerInventory {

    private final List<KubernetesContainer> containers = new ArrayList<>();
    private final List<String> skipped = new ArrayList<>();
    private RuntimeException failure;

    public synchronized InMemoryKubernetesContainerInventory add(KubernetesContainer container) {
        containers.add(container);
        return this;
    }

    public synchronized InMemoryKubernetesContainerInventory skip(String reason) {
        skipped.add(reason);
        return this;
    }

    /** Makes every following scan fail as an unreachable API server does. */
    public synchronized void becomeUnavailable(String message) {
        failure = new InventoryUnavailableException(message, null);
    }

    @Override
    public synchronized Scan scan() {
        if (failure != null) {
            throw failure;
        }
        return new Scan(containers, skipped);
    }
}
