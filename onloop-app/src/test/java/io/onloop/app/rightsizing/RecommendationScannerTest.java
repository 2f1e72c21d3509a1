package io.onloop.app.rightsizing;

import io.onloop.domain.access.Tenant;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.testkit.rightsizing.InMemoryRecommendationStore;
import io.onloop.testkit.rightsizing.RecommendationStoreContract;
import io.onloop.testkit.store.InMemoryAccessStore;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The schedule: every source is asked for every tenant, and a failing source does not stop the others. */
class RecommendationScannerTest {

    @Test
    void theScheduledScanAsksEverySourceForEveryTenantAndSurvivesAFailingOne() {
        var access = new InMemoryAccessStore();
        access.createTenant(new Tenant("a", "A", Instant.now()));
        access.createTenant(new Tenant("b", "B", Instant.now()));
        var store = new InMemoryRecommendationStore();
        var copilot = new Copilot(store, new InMemoryEventStore(), Clock.systemUTC());
        RecommendationSource broken = new RecommendationSource() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public List<Recommendation> scan(String tenantId) {
                throw new IllegalStateException("cluster unreachable");
            }
        };
        var fixed = new FixedRecommendationSource();
        fixed.set("a", List.of(RecommendationStoreContract.kubernetes("prod", "shop", "cart", 40, 10, 0.2)));
        fixed.set("b", List.of(RecommendationStoreContract.lambda("acct", "resize", 12, 4)));

        try (var scanner = new RecommendationScanner(List.of(broken, fixed), access, copilot, Duration.ofMillis(10),
                Duration.ofHours(1))) {
            scanner.start();
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    store.find(RecommendationQuery.all("b", null, 10)).items().size() == 1);
            assertThat(store.find(RecommendationQuery.all("a", null, 10)).items())
                    .singleElement().satisfies(r -> assertThat(r.workloadKey()).isEqualTo("kubernetes/prod/shop/Deployment/cart/app"));
        }
    }
}
