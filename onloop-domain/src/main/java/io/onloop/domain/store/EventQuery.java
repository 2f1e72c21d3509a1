package io.onloop.domain.store;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * A filter over one tenant's events; empty sets and nulls mean "any".
 *
 * @param resource  matches the resource id exactly or the resource name exactly
 * @param labels    every given label must be present with exactly this value
 * @param from      received at or after (inclusive); {@code to}: received before (exclusive)
 * @param text      case-insensitive substring of title or summary
 * @param limit     page size, 1..500
 * @param cursor    from the previous page's {@link Page#nextCursor()}, or null for the first page
 */
public record EventQuery(String tenantId, Set<EventStatus> statuses, Set<Severity> severities, Set<SourceType> sources,
                         String resource, Map<String, String> labels, Instant from, Instant to, String text,
                         UUID incidentId, int limit, String cursor) {
    public EventQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        limit = Math.clamp(limit, 1, 500);
    }

    public static EventQuery all(String tenantId, int limit) {
        return new EventQuery(tenantId, null, null, null, null, null, null, null, null, null, limit, null);
    }
}
