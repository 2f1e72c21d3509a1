package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Port: where recommendations come from (the Kubernetes and Prometheus sources with the recommender, the
 * AWS source). The application calls every source on a schedule, with the tenant's own prices, and hands what it
 * returns to {@link Copilot#record}.
 */
public interface RecommendationSource {

    /** A short name for the audit log and logs, e.g. {@code kubernetes/prod}. */
    String name();

    /**
     * The recommendations for the tenant's workloads now; empty when there is nothing to change.
     *
     * @param prices the tenant's prices by catalog key ({@link PriceOverrideStore#prices}); they replace the
     *               source's own catalog's prices ({@link PricingCatalog#withPrices})
     */
    Scan scan(String tenantId, Map<String, Double> prices);

    /**
     * What one scan found, and the keys ({@link WorkloadRef#key()}) of the workloads it looked at without failing: an
     * open recommendation for one of those that it no longer returns is withdrawn ({@link Copilot#record}). A workload
     * whose usage could not be read is not among them, so a metrics outage withdraws nothing.
     */
    record Scan(List<Recommendation> found, Set<String> evaluated) {
        public static final Scan NONE = new Scan(List.of(), Set.of());

        public Scan {
            found = List.copyOf(found);
            evaluated = Set.copyOf(evaluated);
        }
    }
}
