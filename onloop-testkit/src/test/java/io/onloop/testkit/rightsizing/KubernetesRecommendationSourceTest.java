package io.onloop.testkit.rightsizing;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.rightsizing.ContainerRightsizer;
import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.usage.KubernetesRecommendationSource;
import io.onloop.domain.rightsizing.usage.KubernetesUsage;
import io.onloop.domain.store.Transactions;
import io.onloop.testkit.metrics.InMemoryMetricsQuery;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The cluster's inventory, its usage and the real rightsizer, end to end over in-memory ports. */
class KubernetesRecommendationSourceTest {

    static final double GIB = 1024.0 * 1024 * 1024;
    static final Instant NOW = Instant.parse("2026-11-04T00:02:30Z");

    final List<String> asked = new ArrayList<>();

    @Test
    void recommendsLessForAnOverProvisionedDeploymentOfItsTenantOnly() {
        WorkloadRef cart = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app");
        var inventory = new InMemoryKubernetesContainerInventory().add(new KubernetesContainer(cart,
                Optional.of(2.0), Optional.empty(), Optional.of(2 * GIB), Optional.empty(), 3, Optional.empty()));
        var source = new KubernetesRecommendationSource("kubernetes/prod", "acme", inventory, new KubernetesUsage(prometheus()),
                new ContainerRightsizer(PricingCatalog.defaults(), Clock.fixed(NOW, ZoneOffset.UTC)),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(3), Duration.ofMinutes(5));

        List<Recommendation> recommendations = source.scan("acme", Map.of()).found();

        assertThat(recommendations).singleElement().satisfies(r -> {
            assertThat(r.workload()).isEqualTo(cart);
            assertThat(r.direction()).isEqualTo(Recommendation.Direction.DOWN);
            assertThat(r.changes()).extracting(SettingChange::setting).contains(SettingChange.CPU_REQUEST, SettingChange.MEMORY_REQUEST);
            assertThat(r.monthlySavings()).isPositive();
        });
        // three days back from the last 5-minute boundary
        assertThat(asked).first().isEqualTo("range 2026-11-01T00:00:00Z 2026-11-04T00:00:00Z");
        assertThat(source.scan("other-tenant", Map.of()).found()).isEmpty();
    }

    @Test
    void theRunningPodsRequestsAreWhatIsChangedNotTheTemplates() {
        WorkloadRef cart = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app");
        // the template sets only a CPU limit; the API server gave the pods that limit as their request
        var inventory = new InMemoryKubernetesContainerInventory().add(new KubernetesContainer(cart,
                Optional.empty(), Optional.of(2.0), Optional.of(2 * GIB), Optional.empty(), 3, Optional.empty()));
        var source = new KubernetesRecommendationSource("kubernetes/prod", "acme", inventory,
                new KubernetesUsage(prometheus(Map.of("cpu", 2.0))),
                new ContainerRightsizer(PricingCatalog.defaults(), Clock.fixed(NOW, ZoneOffset.UTC)),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(3), Duration.ofMinutes(5));

        Recommendation r = source.scan("acme", Map.of()).found().getFirst();

        assertThat(r.changes()).filteredOn(c -> c.setting().equals(SettingChange.CPU_REQUEST)).singleElement()
                .satisfies(c -> assertThat(c.current()).isEqualTo("2000m"));
        assertThat(r.monthlyCostNow()).as("what the pods request is what they cost").isGreaterThan(r.monthlyCostAfter());
    }

    @Test
    void anApprovalThePodsRunWithStandsAtTheNextScan() {
        WorkloadRef cart = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app");
        var inventory = new InMemoryKubernetesContainerInventory().add(new KubernetesContainer(cart,
                Optional.of(2.0), Optional.empty(), Optional.of(4 * GIB), Optional.empty(), 3, Optional.empty()));
        var clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var rightsizer = new ContainerRightsizer(PricingCatalog.defaults(), clock);
        var copilot = new Copilot(new InMemoryRecommendationStore(), new InMemoryEventStore(), Transactions.DIRECT, clock);
        var before = new KubernetesRecommendationSource("kubernetes/prod", "acme", inventory, new KubernetesUsage(prometheus()),
                rightsizer, clock, Duration.ofDays(3), Duration.ofMinutes(5));
        copilot.record("acme", before.name(), before.scan("acme", Map.of()));
        var open = copilot.list(RecommendationQuery.all("acme", Status.OPEN, 10)).items().getFirst();
        copilot.approve("acme", open.id(), "alice", "", null, null).orElseThrow();

        // alice ran the plan: the pods request what was approved (kube-state-metrics says so), usage is as before
        Map<String, Double> approved = new java.util.HashMap<>();
        for (SettingChange c : open.recommendation().changes()) {
            approved.put(c.setting().substring(0, c.setting().indexOf('.')), Copilot.quantity(c.recommended()).orElseThrow());
        }
        var after = new KubernetesRecommendationSource("kubernetes/prod", "acme", inventory,
                new KubernetesUsage(prometheus(approved)), rightsizer, clock, Duration.ofDays(3), Duration.ofMinutes(5));
        var scan = after.scan("acme", Map.of());
        assertThat(scan.found()).as("nothing more to recommend at the approved values").isEmpty();

        assertThat(copilot.record("acme", after.name(), scan)).isEqualTo(new Copilot.ScanOutcome(0, 0, 0, 0));
        assertThat(copilot.find("acme", open.id()).orElseThrow().status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void aContainerWhoseUsageCannotBeReadIsNotEvaluated() {
        WorkloadRef cart = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app");
        WorkloadRef search = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "search", "app");
        var inventory = threeReplicasOf2CoresAnd2Gib(cart, search);
        MetricsQuery working = prometheus();
        MetricsQuery failingForSearch = InMemoryMetricsQuery.rangesThrough(working, (query, answer) -> {
            if (query.contains("search")) {
                throw new io.onloop.domain.metrics.MetricsUnavailableException("prometheus did not answer");
            }
            return answer;
        });
        var scan = source(inventory, failingForSearch).scan("acme", Map.of());

        assertThat(scan.found()).extracting(Recommendation::workload).containsExactly(cart);
        assertThat(scan.evaluated()).as("search's open recommendation, if any, must not be withdrawn")
                .containsExactly(cart.key());
    }

    @Test
    void aPrometheusAnsweringWithNoSeriesWithdrawsNothing() {
        WorkloadRef cart = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app");
        WorkloadRef search = new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "search", "app");
        var inventory = threeReplicasOf2CoresAnd2Gib(cart, search);
        var clock = Clock.fixed(NOW, ZoneOffset.UTC);
        var copilot = new Copilot(new InMemoryRecommendationStore(), new InMemoryEventStore(), Transactions.DIRECT, clock);
        MetricsQuery working = prometheus();
        copilot.record("acme", "kubernetes/prod", source(inventory, working).scan("acme", Map.of()));
        var open = copilot.list(RecommendationQuery.all("acme", Status.OPEN, 10)).items();
        assertThat(open).hasSize(2);
        var cartApproved = copilot.approve("acme", open.stream().filter(r -> r.workloadKey().equals(cart.key()))
                .findFirst().orElseThrow().id(), "alice", "", null, null).orElseThrow();

        // search's memory series is gone (a relabelled job): its steps have CPU only, so no samples
        var searchMemoryGone = source(inventory, answeringNothingFor(working, q -> q.contains("search")
                && q.contains("container_memory_working_set_bytes"))).scan("acme", Map.of());
        assertThat(searchMemoryGone.evaluated()).containsExactly(cart.key());
        // every usage query answered, with no series (retention wiped)
        var allGone = source(inventory, answeringNothingFor(working, q -> true)).scan("acme", Map.of());
        assertThat(allGone.found()).isEmpty();
        assertThat(allGone.evaluated()).isEmpty();

        assertThat(copilot.record("acme", "kubernetes/prod", allGone)).isEqualTo(new Copilot.ScanOutcome(0, 0, 0, 0));
        assertThat(copilot.find("acme", cartApproved.id()).orElseThrow().status()).isEqualTo(Status.APPROVED);
        assertThat(copilot.list(RecommendationQuery.all("acme", Status.OPEN, 10)).items())
                .extracting(StoredRecommendation::workloadKey).containsExactly(search.key());
    }

    private static InMemoryKubernetesContainerInventory threeReplicasOf2CoresAnd2Gib(WorkloadRef... workloads) {
        var inventory = new InMemoryKubernetesContainerInventory();
        for (WorkloadRef w : workloads) {
            inventory.add(new KubernetesContainer(w, Optional.of(2.0), Optional.empty(), Optional.of(2 * GIB), Optional.empty(), 3,
                    Optional.empty()));
        }
        return inventory;
    }

    private static KubernetesRecommendationSource source(InMemoryKubernetesContainerInventory inventory, MetricsQuery metrics) {
        var clock = Clock.fixed(NOW, ZoneOffset.UTC);
        return new KubernetesRecommendationSource("kubernetes/prod", "acme", inventory, new KubernetesUsage(metrics),
                new ContainerRightsizer(PricingCatalog.defaults(), clock), clock, Duration.ofDays(3), Duration.ofMinutes(5));
    }

    /** Answers range queries as {@code metrics} does, except those matching, which succeed with no series. */
    private static MetricsQuery answeringNothingFor(MetricsQuery metrics, java.util.function.Predicate<String> matching) {
        return InMemoryMetricsQuery.rangesThrough(metrics, (query, answer) -> matching.test(query) ? List.of() : answer);
    }

    private MetricsQuery prometheus() {
        return prometheus(Map.of());
    }

    /** Two pods using about 0.2 cores and 300 MiB each, every 5 minutes; kube-state-metrics requests as given. */
    private MetricsQuery prometheus(Map<String, Double> podRequests) {
        return new MetricsQuery() {
            @Override
            public String backend() {
                return "test";
            }

            @Override
            public List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
                asked.add("range " + start + " " + end);
                boolean cpu = query.contains("container_cpu_usage_seconds_total");
                List<MetricSeries> pods = new ArrayList<>();
                for (String pod : List.of("cart-7d9f8b6c5-x2x4z", "cart-7d9f8b6c5-k8w2n")) {
                    List<MetricSeries.Point> points = new ArrayList<>();
                    for (Instant t = start; !t.isAfter(end); t = t.plus(step)) {
                        double wave = Math.sin(t.getEpochSecond() / 3600.0);
                        points.add(new MetricSeries.Point(t.toEpochMilli(), cpu ? 0.2 + 0.05 * wave : (300 + 20 * wave) * 1024 * 1024));
                    }
                    pods.add(new MetricSeries(Map.of("pod", pod), points));
                }
                return pods;
            }

            @Override
            public List<MetricSeries> instant(String query, Instant at) {
                if (!query.contains("kube_pod_container_resource_requests")) {
                    return List.of();
                }
                return podRequests.entrySet().stream().map(e -> new MetricSeries(Map.of("resource", e.getKey()),
                        List.of(new MetricSeries.Point(at.toEpochMilli(), e.getValue())))).toList();
            }
        };
    }
}
