package io.onloop.app.rightsizing;

import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for the outside world (a cluster, an AWS account): returns, per tenant, the recommendations a
 * test sets. Everything after it (the scan, the copilot, the store, the API) is the real thing.
 */
public final class FixedRecommendationSource implements RecommendationSource {
    private final Map<String, List<Recommendation>> byTenant = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Double>> pricesSeen = new ConcurrentHashMap<>();

    public void set(String tenantId, List<Recommendation> recommendations) {
        byTenant.put(tenantId, List.copyOf(recommendations));
    }

    /** The tenant's prices the last scan for it was given. */
    public Map<String, Double> pricesSeen(String tenantId) {
        return pricesSeen.getOrDefault(tenantId, Map.of());
    }

    @Override
    public String name() {
        return "fixed";
    }

    /** What was set, as found and evaluated: nothing of another test's is withdrawn. */
    @Override
    public Scan scan(String tenantId, Map<String, Double> prices) {
        pricesSeen.put(tenantId, Map.copyOf(prices));
        List<Recommendation> found = byTenant.getOrDefault(tenantId, List.of());
        return new Scan(found, found.stream().map(r -> r.workload().key()).collect(java.util.stream.Collectors.toSet()));
    }
}
