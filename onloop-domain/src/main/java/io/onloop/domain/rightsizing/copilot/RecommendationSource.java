package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.Recommendation;

import java.util.List;

/**
 * Port: where recommendations come from (the Kubernetes and Prometheus sources with the recommender, the
 * AWS source). The application calls every source on a schedule and hands what it returns to
 * {@link Copilot#record}.
 */
public interface RecommendationSource {

    /** A short name for the audit log and logs, e.g. {@code kubernetes/prod}. */
    String name();

    /** The recommendations for the tenant's workloads now; empty when there is nothing to change. */
    List<Recommendation> scan(String tenantId);
}
