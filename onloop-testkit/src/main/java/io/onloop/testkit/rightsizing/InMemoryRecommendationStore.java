package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.RecommendationStore;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.store.Page;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link RecommendationStore} in memory, for tests of the stages that use it. */
public class InMemoryRecommendationStore implements RecommendationStore {
    private final Map<String, StoredRecommendation> byKey = new ConcurrentHashMap<>();

    @Override
    public synchronized void insert(StoredRecommendation r) {
        if (byKey.putIfAbsent(key(r.tenantId(), r.id()), micros(r)) != null) {
            throw new IllegalStateException("recommendation " + r.id() + " exists");
        }
    }

    @Override
    public synchronized boolean update(StoredRecommendation r, Status expected) {
        var current = byKey.get(key(r.tenantId(), r.id()));
        if (current == null || current.status() != expected) {
            return false;
        }
        byKey.put(key(r.tenantId(), r.id()), micros(r));
        return true;
    }

    @Override
    public Optional<StoredRecommendation> find(String tenantId, UUID id) {
        return Optional.ofNullable(byKey.get(key(tenantId, id)));
    }

    @Override
    public Optional<StoredRecommendation> findLatest(String tenantId, String workloadKey) {
        return byKey.values().stream().filter(r -> r.tenantId().equals(tenantId) && r.workloadKey().equals(workloadKey))
                .max(java.util.Comparator.comparing(StoredRecommendation::createdAt)
                        .thenComparing(r -> r.id().toString()));
    }

    @Override
    public Page<StoredRecommendation> find(RecommendationQuery query) {
        var after = query.cursor() == null ? null : RecommendationQuery.Cursor.decode(query.cursor());
        List<StoredRecommendation> matching = byKey.values().stream().filter(query::matches)
                .filter(r -> after == null || after.isBefore(r))
                .sorted(RecommendationQuery.ORDER).limit(query.limit() + 1L).toList();
        if (matching.size() <= query.limit()) {
            return new Page<>(matching, null);
        }
        var page = matching.subList(0, query.limit());
        return new Page<>(page, RecommendationQuery.Cursor.after(page.getLast()).encode());
    }

    private static String key(String tenantId, UUID id) {
        return tenantId + "/" + id;
    }

    /** Stores keep microseconds, as the databases do. */
    private static StoredRecommendation micros(StoredRecommendation r) {
        return new StoredRecommendation(r.id(), r.tenantId(), r.recommendation(), r.status(), micros(r.createdAt()),
                micros(r.updatedAt()), r.decidedBy(), micros(r.decidedAt()), r.comment(), r.plan());
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
