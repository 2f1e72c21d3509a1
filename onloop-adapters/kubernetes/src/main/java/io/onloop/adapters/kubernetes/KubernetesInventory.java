package io.onloop.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer.Hpa;
import io.onloop.domain.rightsizing.inventory.KubernetesContainerInventory;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * The containers of a cluster's Deployments, StatefulSets and DaemonSets, read through fabric8, with the
 * autoscaling/v2 HorizontalPodAutoscaler that scales each workload.
 * <p>
 * Init containers are left out (they run before the others, not alongside them). Requests and limits are
 * read from the pod template as written: a template with only a limit has no request here, although the
 * API server gives its pods a request equal to the limit.
 */
public final class KubernetesInventory implements KubernetesContainerInventory {

    static final String KUBE_SYSTEM = "kube-system";

    private final KubernetesClient client;
    private final Scope scope;

    /**
     * What to list.
     *
     * @param environment    the cluster's name, recorded in every {@link WorkloadRef}
     * @param namespaces     the namespaces to list; empty for all of them
     * @param labelSelector  a label selector the workloads must match ({@code team=shop,tier!=batch}); blank for all
     * @param skipKubeSystem leave out {@code kube-system}, whose add-ons are sized by the cluster's provider
     */
    public record Scope(String environment, List<String> namespaces, String labelSelector, boolean skipKubeSystem) {

        public Scope {
            Objects.requireNonNull(environment, "environment");
            namespaces = List.copyOf(namespaces);
            labelSelector = Objects.requireNonNullElse(labelSelector, "").strip();
        }

        /** Every namespace, every workload, kube-system included. */
        public static Scope everything(String environment) {
            return new Scope(environment, List.of(), "", false);
        }
    }

    public KubernetesInventory(KubernetesClient client, Scope scope) {
        this.client = Objects.requireNonNull(client, "client");
        this.scope = Objects.requireNonNull(scope, "scope");
    }

    @Override
    public Scan scan() {
        try {
            Map<String, HorizontalPodAutoscaler> hpas = hpasByTarget();
            List<KubernetesContainer> containers = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (var d : list(c -> c.apps().deployments(), true)) {
                add("Deployment", d, d.getSpec().getTemplate(), replicas(d.getSpec().getReplicas()), hpas, containers, skipped);
            }
            for (var s : list(c -> c.apps().statefulSets(), true)) {
                add("StatefulSet", s, s.getSpec().getTemplate(), replicas(s.getSpec().getReplicas()), hpas, containers, skipped);
            }
            for (var ds : list(c -> c.apps().daemonSets(), true)) {
                // a DaemonSet has no replica count: it runs one pod on each node it is scheduled to
                Integer scheduled = ds.getStatus() == null ? null : ds.getStatus().getDesiredNumberScheduled();
                add("DaemonSet", ds, ds.getSpec().getTemplate(), scheduled == null ? 0 : scheduled, hpas, containers, skipped);
            }
            return new Scan(containers, skipped);
        } catch (KubernetesClientException e) {
            throw new InventoryUnavailableException("the Kubernetes API server did not list the workloads (HTTP " + e.getCode() + "): "
                    + e.getMessage(), e);
        }
    }

    private void add(String kind, HasMetadata workload, PodTemplateSpec template, int replicas,
                     Map<String, HorizontalPodAutoscaler> hpas, List<KubernetesContainer> into, List<String> skipped) {
        String namespace = workload.getMetadata().getNamespace();
        String name = workload.getMetadata().getName();
        HorizontalPodAutoscaler hpa = hpas.get(targetKey(namespace, kind, name));
        for (Container container : template.getSpec().getContainers()) {
            WorkloadRef ref = new WorkloadRef("kubernetes", scope.environment(), namespace, kind, name, container.getName());
            try {
                var resources = container.getResources();
                Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
                Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
                into.add(new KubernetesContainer(ref,
                        cores(requests, "CPU request"), cores(limits, "CPU limit"),
                        bytes(requests, "memory request"), bytes(limits, "memory limit"),
                        replicas, Optional.ofNullable(hpa).map(h -> hpa(h, container.getName()))));
            } catch (MalformedQuantity e) {
                skipped.add(kind + " " + namespace + "/" + name + " container " + container.getName() + ": " + e.getMessage());
            }
        }
    }

    /** Lists one kind in the configured namespaces, with the label selector when {@code selected}. */
    private <T extends HasMetadata, L extends KubernetesResourceList<T>> List<T> list(
            Function<KubernetesClient, MixedOperation<T, L, ? extends Resource<T>>> kind, boolean selected) {
        List<FilterWatchListDeletable<T, L, ? extends Resource<T>>> listings = new ArrayList<>();
        if (scope.namespaces().isEmpty()) {
            listings.add(kind.apply(client).inAnyNamespace());
        } else {
            for (String namespace : scope.namespaces()) {
                listings.add(kind.apply(client).inNamespace(namespace));
            }
        }
        List<T> items = new ArrayList<>();
        for (var listing : listings) {
            var filtered = selected && !scope.labelSelector().isEmpty() ? listing.withLabelSelector(scope.labelSelector()) : listing;
            for (T item : filtered.list().getItems()) {
                if (!(scope.skipKubeSystem() && KUBE_SYSTEM.equals(item.getMetadata().getNamespace()))) {
                    items.add(item);
                }
            }
        }
        items.sort(Comparator.comparing((T item) -> item.getMetadata().getNamespace())
                .thenComparing(item -> item.getMetadata().getName()));
        return items;
    }

    /**
     * The HPAs by the workload they scale. The label selector is not applied: an HPA's labels say nothing
     * about the workload's. Two HPAs on one workload is an error the HPA controller refuses to act on;
     * the first by name is kept.
     */
    private Map<String, HorizontalPodAutoscaler> hpasByTarget() {
        Map<String, HorizontalPodAutoscaler> byTarget = new HashMap<>();
        for (var hpa : list(c -> c.autoscaling().v2().horizontalPodAutoscalers(), false)) {
            CrossVersionObjectReference target = hpa.getSpec().getScaleTargetRef();
            if (target != null && isAppsGroup(target.getApiVersion())) {
                byTarget.putIfAbsent(targetKey(hpa.getMetadata().getNamespace(), target.getKind(), target.getName()), hpa);
            }
        }
        return byTarget;
    }

    /** Deployments, StatefulSets and DaemonSets are {@code apps/v1}; a same-named kind of another group (an Argo Rollout) is not ours. */
    private static boolean isAppsGroup(String apiVersion) {
        return apiVersion == null || apiVersion.startsWith("apps/");
    }

    private static String targetKey(String namespace, String kind, String name) {
        return namespace + "/" + kind + "/" + name;
    }

    /**
     * The HPA's CPU and memory targets for one container: a ContainerResource target on this container wins
     * over a Resource target on the whole pod. Only Utilization targets are read (a percentage of the request);
     * AverageValue targets and custom or external metrics are not.
     */
    private static Hpa hpa(HorizontalPodAutoscaler hpa, String container) {
        var spec = hpa.getSpec();
        return new Hpa(hpa.getMetadata().getName(), spec.getMinReplicas() == null ? 1 : spec.getMinReplicas(),
                spec.getMaxReplicas(), utilization(spec.getMetrics(), "cpu", container),
                utilization(spec.getMetrics(), "memory", container));
    }

    private static Optional<Integer> utilization(List<MetricSpec> metrics, String resource, String container) {
        Optional<Integer> podWide = Optional.empty();
        for (MetricSpec metric : metrics == null ? List.<MetricSpec>of() : metrics) {
            if ("ContainerResource".equals(metric.getType()) && metric.getContainerResource() != null
                    && container.equals(metric.getContainerResource().getContainer())
                    && resource.equals(metric.getContainerResource().getName())) {
                Optional<Integer> target = percent(metric.getContainerResource().getTarget());
                if (target.isPresent()) {
                    return target;
                }
            }
            if ("Resource".equals(metric.getType()) && metric.getResource() != null
                    && resource.equals(metric.getResource().getName()) && podWide.isEmpty()) {
                podWide = percent(metric.getResource().getTarget());
            }
        }
        return podWide;
    }

    private static Optional<Integer> percent(MetricTarget target) {
        return target != null && "Utilization".equals(target.getType())
                ? Optional.ofNullable(target.getAverageUtilization()) : Optional.empty();
    }

    private static int replicas(Integer specReplicas) {
        return specReplicas == null ? 1 : specReplicas; // the API server's default
    }

    private static Optional<Double> cores(Map<String, Quantity> quantities, String what) {
        return amount(quantities, "cpu", what);
    }

    private static Optional<Double> bytes(Map<String, Quantity> quantities, String what) {
        return amount(quantities, "memory", what);
    }

    /** Reads a quantity with fabric8's parser: {@code 250m} is 0.25 (cores), {@code 1Gi} is 1073741824 (bytes). */
    private static Optional<Double> amount(Map<String, Quantity> quantities, String resource, String what) {
        Quantity quantity = quantities == null ? null : quantities.get(resource);
        if (quantity == null) {
            return Optional.empty();
        }
        try {
            BigDecimal amount = Quantity.getAmountInBytes(quantity);
            if (amount.signum() < 0) {
                throw new MalformedQuantity("the " + what + " \"" + quantity + "\" is negative");
            }
            return Optional.of(amount.doubleValue());
        } catch (ArithmeticException | IllegalArgumentException e) {
            throw new MalformedQuantity("the " + what + " \"" + quantity + "\" is not a Kubernetes quantity (" + e.getMessage() + ")");
        }
    }

    private static final class MalformedQuantity extends RuntimeException {
        MalformedQuantity(String message) {
            super(message);
        }
    }
}
