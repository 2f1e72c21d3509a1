package io.onloop.domain.rightsizing.inventory;

import java.util.List;

/**
 * Port: the containers of a cluster's Deployments, StatefulSets and DaemonSets as they are configured now
 * (fabric8 in production, an in-memory list in tests).
 */
public interface KubernetesContainerInventory {

    /**
     * Lists the workloads in scope now, one entry per container of their pod templates (init containers are
     * not included: they do not run alongside the others, so they have nothing to rightsize).
     *
     * @throws InventoryUnavailableException when the API server cannot be reached or refuses the listing
     */
    Scan scan();

    /**
     * One listing.
     *
     * @param containers the containers found
     * @param skipped    one sentence per container that could not be read (e.g. a request that is not a
     *                   Kubernetes quantity), so a bad object is reported instead of failing the whole cluster
     */
    record Scan(List<KubernetesContainer> containers, List<String> skipped) {

        public Scan {
            containers = List.copyOf(containers);
            skipped = List.copyOf(skipped);
        }
    }
}
