package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.Recommendation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A recommendation as the copilot keeps it: open until a person approves or rejects it, or until a
 * newer recommendation for the same workload supersedes it (also once approved, while it is not applied).
 *
 * @param createdAt when the recommendation was first recorded
 * @param updatedAt when it was last refreshed by a scan or decided
 * @param decidedBy who approved or rejected it ({@code scan} for a supersession); empty while open
 * @param decidedAt null while open
 * @param comment   the approver's or rejecter's comment; for a supersession, which recommendation replaced it
 * @param plan      the change plan made at approval; null otherwise
 */
public record StoredRecommendation(UUID id, String tenantId, Recommendation recommendation, Status status,
                                   Instant createdAt, Instant updatedAt, String decidedBy, Instant decidedAt,
                                   String comment, ChangePlan plan) {

    public enum Status {
        OPEN, APPROVED, REJECTED, SUPERSEDED;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Open, or approved and not applied: a change that may still be made, so one a scan may supersede. */
        public boolean pending() {
            return this == OPEN || this == APPROVED;
        }

        /** @throws IllegalArgumentException for anything else than the four ids (any case) */
        public static Status fromId(String id) {
            return valueOf(id.strip().toUpperCase(java.util.Locale.ROOT));
        }
    }

    public StoredRecommendation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(recommendation, "recommendation");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        decidedBy = Objects.requireNonNullElse(decidedBy, "");
        comment = Objects.requireNonNullElse(comment, "");
    }

    /** A new open recommendation. */
    public static StoredRecommendation open(UUID id, String tenantId, Recommendation recommendation, Instant at) {
        return new StoredRecommendation(id, tenantId, recommendation, Status.OPEN, at, at, "", null, "", null);
    }

    public String workloadKey() {
        return recommendation.workload().key();
    }

    /** The same open recommendation with fresher evidence, costs and confidence from a later scan. */
    public StoredRecommendation refreshed(Recommendation newer, Instant at) {
        return new StoredRecommendation(id, tenantId, newer, status, createdAt, at, decidedBy, decidedAt, comment, plan);
    }

    public StoredRecommendation decided(Status to, String by, Instant at, String why, ChangePlan changePlan) {
        return new StoredRecommendation(id, tenantId, recommendation, to, createdAt, at, by, at, why, changePlan);
    }
}
