package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Objects;
import java.util.UUID;

/**
 * A filter over one tenant's recommendations, sorted by monthly savings, highest first (then by id).
 * Null filters match everything.
 *
 * @param minMonthlySavings keeps recommendations that save at least this much per month
 * @param maxRisk           keeps recommendations whose risk is at most this
 * @param cursor            from the previous page's {@code nextCursor}; null for the first page
 */
public record RecommendationQuery(String tenantId, String environment, String namespace, String kind,
                                  String provider, Double minMonthlySavings, Double maxRisk, Status status,
                                  int limit, String cursor) {

    public RecommendationQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
    }

    /** Every recommendation of the tenant with this status (null: any), first page. */
    public static RecommendationQuery all(String tenantId, Status status, int limit) {
        return new RecommendationQuery(tenantId, null, null, null, null, null, null, status, limit, null);
    }

    public RecommendationQuery after(String nextCursor) {
        return new RecommendationQuery(tenantId, environment, namespace, kind, provider, minMonthlySavings, maxRisk,
                status, limit, nextCursor);
    }

    /** Whether a recommendation passes the filters (the in-memory stores use this; SQL stores say the same in SQL). */
    public boolean matches(StoredRecommendation r) {
        var w = r.recommendation().workload();
        return r.tenantId().equals(tenantId)
                && (environment == null || environment.equals(w.environment()))
                && (namespace == null || namespace.equals(w.namespace()))
                && (kind == null || kind.equals(w.kind()))
                && (provider == null || provider.equals(w.provider()))
                && (minMonthlySavings == null || r.recommendation().monthlySavings() >= minMonthlySavings)
                && (maxRisk == null || r.recommendation().risk() <= maxRisk)
                && (status == null || status == r.status());
    }

    /** The order of every listing: monthly savings, highest first, then id (as its text, like the databases sort UUIDs). */
    public static final Comparator<StoredRecommendation> ORDER = Comparator
            .comparingDouble((StoredRecommendation r) -> -r.recommendation().monthlySavings())
            .thenComparing(r -> r.id().toString());

    /** Where a page ended: the savings and id of its last recommendation. Stores share it so cursors agree. */
    public record Cursor(double savings, UUID id) {

        public static Cursor after(StoredRecommendation last) {
            return new Cursor(last.recommendation().monthlySavings(), last.id());
        }

        public String encode() {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString((Double.toString(savings) + "/" + id).getBytes(StandardCharsets.UTF_8));
        }

        /** @throws IllegalArgumentException if the text is not a cursor this class wrote */
        public static Cursor decode(String cursor) {
            try {
                String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int slash = s.indexOf('/');
                double savings = Double.parseDouble(s.substring(0, slash));
                if (!Double.isFinite(savings)) {
                    throw new IllegalArgumentException("not finite");
                }
                return new Cursor(savings, UUID.fromString(s.substring(slash + 1)));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid cursor", e);
            }
        }

        /** Whether a recommendation comes after this cursor in {@link #ORDER}. */
        public boolean isBefore(StoredRecommendation r) {
            double s = r.recommendation().monthlySavings();
            return s < savings || (s == savings && r.id().toString().compareTo(id.toString()) > 0);
        }
    }
}
