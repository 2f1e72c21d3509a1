package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.List;
import java.util.Map;

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
    List<Recommendation> scan(String tenantId, Map<String, Double> prices);

    /**
     * Whether the source's scan for the tenant looks at this workload: an open recommendation for one it scanned and
     * no longer returns is withdrawn ({@link Copilot#record}). False for a tenant the source does not scan.
     */
    boolean scans(String tenantId, WorkloadRef workload);
}
