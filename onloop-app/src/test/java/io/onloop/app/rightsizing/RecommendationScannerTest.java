package io.onloop.app.rightsizing;

import io.onloop.domain.access.Tenant;
import io.onloop.domain.rightsizing.AwsRecommendations;
import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.domain.store.Transactions;
import io.onloop.testkit.rightsizing.InMemoryCloudInventory;
import io.onloop.testkit.rightsizing.InMemoryCloudUsage;
import io.onloop.testkit.rightsizing.InMemoryPriceOverrideStore;
import io.onloop.testkit.rightsizing.InMemoryRecommendationStore;
import io.onloop.testkit.rightsizing.RecommendationStoreContract;
import io.onloop.testkit.store.InMemoryAccessStore;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The schedule: every source is asked for every tenant, and a failing source does not stop the others; each
 * tenant's recommendations are priced with its own prices.
 */
class RecommendationScannerTest {

    @Test
    void theScheduledScanAsksEverySourceForEveryTenantAndSurvivesAFailingOne() {
        var access = new InMemoryAccessStore();
        access.createTenant(new Tenant("a", "A", Instant.now()));
        access.createTenant(new Tenant("b", "B", Instant.now()));
        var store = new InMemoryRecommendationStore();
        var copilot = new Copilot(store, new InMemoryEventStore(), Transactions.DIRECT, Clock.systemUTC());
        RecommendationSource broken = new RecommendationSource() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Scan scan(String tenantId, Map<String, Double> prices) {
                throw new IllegalStateException("cluster unreachable");
            }
        };
        var fixed = new FixedRecommendationSource();
        fixed.set("a", List.of(RecommendationStoreContract.kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        fixed.set("b", List.of(RecommendationStoreContract.lambda("acct", "resize", 12, 4)));

        try (var scanner = new RecommendationScanner(List.of(broken, fixed), access, new InMemoryPriceOverrideStore(), copilot, Duration.ofMillis(10),
                Duration.ofHours(1))) {
            scanner.start();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    store.find(RecommendationQuery.all("b", null, 10)).items().size() == 1);
            assertThat(store.find(RecommendationQuery.all("a", null, 10)).items())
                    .singleElement().satisfies(r -> assertThat(r.workloadKey()).isEqualTo("kubernetes/prod/shop/Deployment/cart/app"));
        }
    }

    @Test
    void aTenantsOwnPricePricesItsRecommendationsAndNoOneElses() {
        var access = new InMemoryAccessStore();
        access.createTenant(new Tenant("a", "A", Instant.now()));
        access.createTenant(new Tenant("b", "B", Instant.now()));
        var store = new InMemoryRecommendationStore();
        var prices = new InMemoryPriceOverrideStore();
        var copilot = new Copilot(store, new InMemoryEventStore(), Transactions.DIRECT, Clock.systemUTC());
        // each tenant has its own account, the same detached 100 GiB gp2 volume in each (the real AWS source)
        List<RecommendationSource> accounts = List.of(account("a"), account("b"));

        try (var scanner = new RecommendationScanner(accounts, access, prices, copilot, Duration.ofHours(1), Duration.ofHours(1))) {
            scanner.scanNow();
            // shipped prices: 100 GiB of gp2 at 0.10 now, a 100 GiB snapshot at 0.05 after
            assertThat(savings("a", store)).isCloseTo(5.0, within(1e-9));
            assertThat(savings("b", store)).isCloseTo(5.0, within(1e-9));

            prices.put("a", new PriceOverrideStore.PriceOverride("ebs/snapshot-gb-month", 0.02, "alice", Instant.now()));
            scanner.scanNow();

            assertThat(savings("a", store)).isCloseTo(10.0 - 2.0, within(1e-9));
            assertThat(savings("b", store)).isCloseTo(5.0, within(1e-9));
        }
    }

    private static RecommendationSource account(String tenant) {
        var inventory = new InMemoryCloudInventory().add(new EbsVolume(
                new WorkloadRef("aws", "acct-" + tenant, "", "EBSVolume", "vol-1", ""), "gp2", 100,
                Optional.empty(), Optional.empty(), Optional.empty()));
        return new AwsRecommendations("aws/" + tenant, tenant, inventory, new InMemoryCloudUsage(),
                PricingCatalog.defaults(), Clock.systemUTC(), Duration.ofDays(14), Duration.ofMinutes(5));
    }

    private static double savings(String tenant, InMemoryRecommendationStore store) {
        return store.find(RecommendationQuery.all(tenant, null, 10)).items().getFirst().recommendation().monthlySavings();
    }
}
