package io.onloop.adapters.kubernetes;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer.Hpa;
import io.onloop.domain.rightsizing.inventory.KubernetesContainerInventory.Scan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The inventory against fabric8's mock API server in CRUD mode: objects are created, then listed back over HTTP. */
@EnableKubernetesMockClient(crud = true)
class KubernetesInventoryTest {

    static KubernetesMockServer server;
    static KubernetesClient client;

    @BeforeEach
    void emptyCluster() {
        server.reset();
    }

    @Test
    void readsEveryKindInEveryNamespaceWithExactRequestsAndLimits() {
        deployment("shop", "cart", 3, Map.of("app", "cart"),
                container("app", Map.of("cpu", "250m", "memory", "512Mi"), Map.of("cpu", "1", "memory", "1Gi")),
                container("envoy", Map.of("cpu", "0.1", "memory", "64M"), Map.of()));
        statefulSet("data", "postgres", 2, container("db", Map.of("cpu", "2", "memory", "4Gi"), Map.of("memory", "4Gi")));
        daemonSet("monitoring", "node-agent", 7, container("agent", Map.of("cpu", "50m", "memory", "100Mi"), Map.of()));

        Scan scan = inventory(KubernetesInventory.Scope.everything("prod")).scan();

        assertThat(scan.skipped()).isEmpty();
        assertThat(scan.containers()).containsExactly(
                new KubernetesContainer(ref("shop", "Deployment", "cart", "app"), Optional.of(0.25), Optional.of(1.0),
                        Optional.of(512.0 * 1024 * 1024), Optional.of(1024.0 * 1024 * 1024), 3, Optional.empty()),
                new KubernetesContainer(ref("shop", "Deployment", "cart", "envoy"), Optional.of(0.1), Optional.empty(),
                        Optional.of(64_000_000.0), Optional.empty(), 3, Optional.empty()),
                new KubernetesContainer(ref("data", "StatefulSet", "postgres", "db"), Optional.of(2.0), Optional.empty(),
                        Optional.of(4.0 * 1024 * 1024 * 1024), Optional.of(4.0 * 1024 * 1024 * 1024), 2, Optional.empty()),
                new KubernetesContainer(ref("monitoring", "DaemonSet", "node-agent", "agent"), Optional.of(0.05), Optional.empty(),
                        Optional.of(100.0 * 1024 * 1024), Optional.empty(), 7, Optional.empty()));
    }

    @Test
    void aContainerWithoutRequestsHasEmptyValuesAndInitContainersAreLeftOut() {
        PodTemplateSpec template = template(Map.of("app", "worker"), container("worker", Map.of(), Map.of()));
        template.getSpec().setInitContainers(List.of(container("migrate", Map.of("cpu", "4", "memory", "8Gi"), Map.of())));
        client.apps().deployments().inNamespace("batch").resource(new DeploymentBuilder()
                .withNewMetadata().withName("worker").withNamespace("batch").endMetadata()
                .withNewSpec().withTemplate(template).endSpec().build()).create();

        Scan scan = inventory(KubernetesInventory.Scope.everything("prod")).scan();

        // no replicas in the spec: the API server's default of 1; the init container is not a container to rightsize
        assertThat(scan.containers()).containsExactly(new KubernetesContainer(ref("batch", "Deployment", "worker", "worker"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 1, Optional.empty()));
    }

    @Test
    void attachesTheV2HpaOnCpuToTheWorkloadItScalesAndNotToASameNamedOtherKind() {
        deployment("shop", "cart", 4, Map.of("app", "cart"), container("app", Map.of("cpu", "500m", "memory", "256Mi"), Map.of()));
        deployment("shop", "search", 2, Map.of("app", "search"), container("app", Map.of("cpu", "1", "memory", "1Gi"), Map.of()));
        hpa("shop", "cart", "apps/v1", "Deployment", "cart", 2, 10,
                resourceMetric("cpu", 70), resourceMetric("memory", 80));
        // an Argo Rollout also called "search": the Deployment "search" is not scaled by it
        hpa("shop", "search-rollout", "argoproj.io/v1alpha1", "Rollout", "search", 1, 5, resourceMetric("cpu", 60));

        Scan scan = inventory(KubernetesInventory.Scope.everything("prod")).scan();

        assertThat(scan.containers()).extracting(c -> c.ref().name(), KubernetesContainer::hpa).containsExactly(
                tuple("cart", Optional.of(new Hpa("cart", 2, 10, Optional.of(70), Optional.of(80)))),
                tuple("search", Optional.empty()));
    }

    @Test
    void aContainerResourceTargetAppliesToItsContainerOnly() {
        deployment("shop", "cart", 3, Map.of("app", "cart"),
                container("app", Map.of("cpu", "500m"), Map.of()), container("envoy", Map.of("cpu", "100m"), Map.of()));
        hpa("shop", "cart", "apps/v1", "Deployment", "cart", 3, 12, new MetricSpecBuilder().withType("ContainerResource")
                .withNewContainerResource().withContainer("app").withName("cpu")
                .withNewTarget().withType("Utilization").withAverageUtilization(65).endTarget().endContainerResource().build());

        Scan scan = inventory(KubernetesInventory.Scope.everything("prod")).scan();

        assertThat(scan.containers()).extracting(c -> c.ref().container(), c -> c.hpa().orElseThrow().cpuTargetUtilization())
                .containsExactly(tuple("app", Optional.of(65)),
                        tuple("envoy", Optional.empty()));
    }

    @Test
    void limitsTheListingToConfiguredNamespacesAndLabelsAndCanSkipKubeSystem() {
        Container c = container("c", Map.of("cpu", "100m"), Map.of());
        deployment("shop", "cart", 1, Map.of("team", "shop"), c);
        deployment("shop", "batch", 1, Map.of("team", "data"), c);
        deployment("data", "etl", 1, Map.of("team", "shop"), c);
        deployment("kube-system", "coredns", 2, Map.of("team", "shop"), c);
        deployment("other", "cart", 1, Map.of("team", "shop"), c);

        assertThat(names(new KubernetesInventory.Scope("prod", List.of("shop", "data"), "", false)))
                .containsExactly("data/etl", "shop/batch", "shop/cart");
        assertThat(names(new KubernetesInventory.Scope("prod", List.of(), "team=shop", true)))
                .containsExactly("data/etl", "other/cart", "shop/cart");
        assertThat(names(new KubernetesInventory.Scope("prod", List.of(), "team=shop", false)))
                .containsExactly("data/etl", "kube-system/coredns", "other/cart", "shop/cart");
    }

    @Test
    void aMalformedQuantitySkipsThatContainerWithAReasonAndKeepsTheRest() {
        deployment("shop", "cart", 2, Map.of("app", "cart"),
                container("app", Map.of("cpu", "250m", "memory", "12 gigs"), Map.of()),
                container("envoy", Map.of("cpu", "100m", "memory", "64Mi"), Map.of()));

        Scan scan = inventory(KubernetesInventory.Scope.everything("prod")).scan();

        assertThat(scan.containers()).extracting(c -> c.ref().container()).containsExactly("envoy");
        assertThat(scan.skipped()).singleElement().asString()
                .startsWith("Deployment shop/cart container app: the memory request \"12 gigs\" is not a Kubernetes quantity");
    }

    private List<String> names(KubernetesInventory.Scope scope) {
        return inventory(scope).scan().containers().stream().map(c -> c.ref().namespace() + "/" + c.ref().name()).toList();
    }

    private static KubernetesInventory inventory(KubernetesInventory.Scope scope) {
        return new KubernetesInventory(client, scope);
    }

    private static WorkloadRef ref(String namespace, String kind, String name, String container) {
        return new WorkloadRef("kubernetes", "prod", namespace, kind, name, container);
    }

    private static Container container(String name, Map<String, String> requests, Map<String, String> limits) {
        return new ContainerBuilder().withName(name).withImage("example/" + name + ":1")
                .withNewResources().withRequests(quantities(requests)).withLimits(quantities(limits)).endResources().build();
    }

    private static Map<String, Quantity> quantities(Map<String, String> values) {
        var result = new HashMap<String, Quantity>();
        values.forEach((k, v) -> result.put(k, new Quantity(v)));
        return result;
    }

    private static PodTemplateSpec template(Map<String, String> labels, Container... containers) {
        return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec().withContainers(containers).endSpec().build();
    }

    private static void deployment(String namespace, String name, int replicas, Map<String, String> labels, Container... containers) {
        client.apps().deployments().inNamespace(namespace).resource(new DeploymentBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).withLabels(labels).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(template(labels, containers)).endSpec().build()).create();
    }

    private static void statefulSet(String namespace, String name, int replicas, Container... containers) {
        Map<String, String> labels = Map.of("app", name);
        client.apps().statefulSets().inNamespace(namespace).resource(new StatefulSetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withReplicas(replicas).withServiceName(name).withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(template(labels, containers)).endSpec().build()).create();
    }

    private static void daemonSet(String namespace, String name, int scheduled, Container... containers) {
        Map<String, String> labels = Map.of("app", name);
        var created = client.apps().daemonSets().inNamespace(namespace).resource(new DaemonSetBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNewSelector().withMatchLabels(labels).endSelector()
                .withTemplate(template(labels, containers)).endSpec().build()).create();
        // the DaemonSet controller sets the status; here the test does, through the status subresource
        created.setStatus(new DaemonSetStatusBuilder().withDesiredNumberScheduled(scheduled).withCurrentNumberScheduled(scheduled)
                .withNumberMisscheduled(0).withNumberReady(scheduled).build());
        client.apps().daemonSets().inNamespace(namespace).resource(created).updateStatus();
    }

    private static void hpa(String namespace, String name, String apiVersion, String kind, String target, int min, int max,
                            MetricSpec... metrics) {
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(namespace).resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewSpec().withNewScaleTargetRef().withApiVersion(apiVersion).withKind(kind).withName(target).endScaleTargetRef()
                .withMinReplicas(min).withMaxReplicas(max).withMetrics(metrics).endSpec().build()).create();
    }

    private static MetricSpec resourceMetric(String resource, int percent) {
        return new MetricSpecBuilder().withType("Resource").withNewResource().withName(resource)
                .withNewTarget().withType("Utilization").withAverageUtilization(percent).endTarget().endResource().build();
    }
}
