package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.Page;

import java.util.Optional;
import java.util.UUID;

/** Port: the copilot's recommendations, per tenant. */
public interface RecommendationStore {

    /** @throws IllegalArgumentException if the tenant does not exist (stores with a foreign key check it) */
    void insert(StoredRecommendation recommendation);

    /**
     * Replaces the stored recommendation with the same tenant and id, but only while its status is still
     * {@code expected}: two people deciding at once cannot both win.
     *
     * @return false if it is missing or its status has changed
     */
    boolean update(StoredRecommendation recommendation, Status expected);

    Optional<StoredRecommendation> find(String tenantId, UUID id);

    /**
     * The newest recommendation for a workload ({@link io.onloop.domain.rightsizing.WorkloadRef#key()}), whatever
     * its status: newest by {@code createdAt}, then by id.
     */
    Optional<StoredRecommendation> findLatest(String tenantId, String workloadKey);

    /** Highest monthly savings first, then by id; {@code nextCursor} as for {@link Page}. */
    Page<StoredRecommendation> find(RecommendationQuery query);
}
