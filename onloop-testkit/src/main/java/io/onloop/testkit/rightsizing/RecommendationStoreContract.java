package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.Evidence;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.ChangePlan;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.RecommendationStore;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.Page;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link RecommendationStore} must do: a recommendation round-trips whole (its evidence, plan and
 * decision too), updates only win while the status is the expected one, the open recommendation of a workload
 * is found by its key, listings filter and sort by savings and page without gaps, and nothing is visible to
 * another tenant. Each test uses fresh tenants from {@link #newTenant()}.
 */
public abstract class RecommendationStoreContract {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

    protected abstract RecommendationStore store();

    /** A tenant that exists (stores with a foreign key to tenants need it created). */
    protected abstract String newTenant();

    private RecommendationStore store;
    private String a;
    private String b;

    @BeforeEach
    void open() {
        store = store();
        a = newTenant();
        b = newTenant();
    }

    public static Recommendation kubernetes(String env, String namespace, String name, double costNow,
                                            double costAfter, double risk) {
        return new Recommendation(new WorkloadRef("kubernetes", env, namespace, "Deployment", name, "app"),
                Recommendation.Direction.DOWN,
                List.of(new SettingChange(SettingChange.CPU_REQUEST, "1", "250m"),
                        new SettingChange(SettingChange.MEMORY_REQUEST, "2Gi", "512Mi")),
                new Evidence(T0.minusSeconds(14 * 86400), T0, 4032, Map.of("cpu.p95", 0.18, "memory.max", 4.1e8),
                        List.of("history of 14 days, ünïcode \"quoted\"")),
                costNow, costAfter, "USD", risk, List.of("memory peaks are spiky"), 0.8, T0);
    }

    public static Recommendation lambda(String env, String name, double costNow, double costAfter) {
        return new Recommendation(new WorkloadRef("aws", env, "", "LambdaFunction", name, ""),
                Recommendation.Direction.DOWN, List.of(new SettingChange(SettingChange.FUNCTION_MEMORY_MB, "1024", "512")),
                new Evidence(T0.minusSeconds(86400), T0, 100, Map.of(), List.of()), costNow, costAfter, "USD", 0.1,
                List.of(), 0.5, T0);
    }

    private StoredRecommendation stored(String tenant, Recommendation r) {
        var s = StoredRecommendation.open(UUID.randomUUID(), tenant, r, T0);
        store.insert(s);
        return s;
    }

    @Test
    void aRecommendationRoundTripsWholeAndIsScopedToItsTenant() {
        var r = stored(a, kubernetes("prod", "shop", "cart", 40, 10, 0.2));
        assertThat(store.find(a, r.id())).contains(r);
        assertThat(store.find(b, r.id())).isEmpty();
        assertThat(store.find(a, UUID.randomUUID())).isEmpty();
    }

    @Test
    void updatesWinOnlyWhileTheStatusIsTheExpectedOne() {
        var r = stored(a, kubernetes("prod", "shop", "cart", 40, 10, 0.2));
        var plan = new ChangePlan(List.of(new ChangePlan.Step(ChangePlan.Kind.KUBECTL, "patch", "",
                "kubectl patch deployment cart -p '{\"a\":\"b\"}'")), List.of("note"));
        var approved = r.decided(Status.APPROVED, "alice", T0.plusSeconds(60), "go ahead", plan);
        var rejected = r.decided(Status.REJECTED, "bob", T0.plusSeconds(61), "no", null);
        assertThat(store.update(approved, Status.OPEN)).isTrue();
        assertThat(store.update(rejected, Status.OPEN)).isFalse();
        assertThat(store.find(a, r.id())).contains(approved);
        var other = new StoredRecommendation(r.id(), b, r.recommendation(), Status.REJECTED, T0, T0, "", null, "", null);
        assertThat(store.update(other, Status.OPEN)).as("another tenant's id").isFalse();
    }

    @Test
    void theLatestRecommendationOfAWorkloadIsFoundByItsKey() {
        var old = stored(a, kubernetes("prod", "shop", "cart", 40, 10, 0.2));
        store.update(old.decided(Status.SUPERSEDED, "scan", T0.plusSeconds(1), "superseded", null), Status.OPEN);
        var newer = StoredRecommendation.open(UUID.randomUUID(), a, kubernetes("prod", "shop", "cart", 40, 20, 0.2),
                T0.plusSeconds(1));
        store.insert(newer);
        stored(a, kubernetes("prod", "shop", "checkout", 40, 20, 0.2));
        String key = newer.workloadKey();
        assertThat(store.findLatest(a, key)).contains(newer);
        var rejected = newer.decided(Status.REJECTED, "bob", T0.plusSeconds(2), "no", null);
        store.update(rejected, Status.OPEN);
        assertThat(store.findLatest(a, key)).as("whatever its status").contains(rejected);
        assertThat(store.findLatest(b, key)).isEmpty();
        assertThat(store.findLatest(a, key + "x")).isEmpty();
    }

    @Test
    void listingsFilterAndSortBySavings() {
        var cart = stored(a, kubernetes("prod", "shop", "cart", 40, 10, 0.2));       // saves 30
        var search = stored(a, kubernetes("prod", "search", "api", 100, 50, 0.6));   // saves 50
        var stage = stored(a, kubernetes("staging", "shop", "cart", 20, 15, 0.1));   // saves 5
        var fn = stored(a, lambda("123456789012/eu-west-1", "resize", 12, 4));       // saves 8
        var up = stored(a, kubernetes("prod", "shop", "starved", 10, 14, 0.3));      // costs 4 more
        stored(b, kubernetes("prod", "shop", "cart", 1000, 0, 0));
        store.update(stage.decided(Status.REJECTED, "bob", T0, "no", null), Status.OPEN);

        assertThat(ids(query(null, null, null, null, null, null, null))).containsExactly(search.id(), cart.id(),
                fn.id(), stage.id(), up.id());
        assertThat(ids(query("prod", null, null, null, null, null, null))).containsExactly(search.id(), cart.id(),
                up.id());
        assertThat(ids(query(null, "shop", null, null, null, null, null))).containsExactly(cart.id(), stage.id(),
                up.id());
        assertThat(ids(query(null, null, "LambdaFunction", null, null, null, null))).containsExactly(fn.id());
        assertThat(ids(query(null, null, null, "kubernetes", 5.0, null, null))).containsExactly(search.id(), cart.id(),
                stage.id());
        assertThat(ids(query(null, null, null, null, null, 0.3, null))).containsExactly(cart.id(), fn.id(),
                stage.id(), up.id());
        assertThat(ids(query(null, null, null, null, null, null, Status.OPEN))).containsExactly(search.id(), cart.id(),
                fn.id(), up.id());
        assertThat(ids(query(null, null, null, null, null, null, Status.REJECTED))).containsExactly(stage.id());
    }

    @Test
    void pagesFollowEachOtherWithoutGapsEvenWhenSavingsTie() {
        List<UUID> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // three pairs with equal savings, one alone: ties are broken by id
            expected.add(stored(a, kubernetes("prod", "ns", "w" + i, 10 + i / 2, 0, 0.1)).id());
        }
        var all = store.find(RecommendationQuery.all(a, null, 100)).items();
        assertThat(all).isSortedAccordingTo(RecommendationQuery.ORDER);
        assertThat(ids(all)).containsExactlyInAnyOrderElementsOf(expected);
        List<UUID> paged = new ArrayList<>();
        var q = RecommendationQuery.all(a, null, 3);
        Page<StoredRecommendation> page = store.find(q);
        paged.addAll(ids(page.items()));
        while (page.nextCursor() != null) {
            page = store.find(q.after(page.nextCursor()));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(3);
            paged.addAll(ids(page.items()));
        }
        assertThat(paged).containsExactlyElementsOf(ids(all));
    }

    @Test
    void aCursorThatIsNotOneIsRefused() {
        assertThatThrownBy(() -> store.find(RecommendationQuery.all(a, null, 10).after("not a cursor")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private List<StoredRecommendation> query(String env, String ns, String kind, String provider, Double minSavings,
                                             Double maxRisk, Status status) {
        return store.find(new RecommendationQuery(a, env, ns, kind, provider, minSavings, maxRisk, status, 100, null))
                .items();
    }

    private static List<UUID> ids(List<StoredRecommendation> rs) {
        return rs.stream().map(StoredRecommendation::id).toList();
    }
}
