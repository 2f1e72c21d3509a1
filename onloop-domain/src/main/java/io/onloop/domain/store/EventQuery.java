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
 * @param scanLimit the most events one page reads, newest first from the cursor within {@code from}/{@code to},
 *                  while looking for matches of a filter no index serves; 0 (the shorter constructor's) for no
 *                  bound. The API and the console pass onloop.search.max-scanned. See {@link #pageScanLimit()}
 *                  and {@link Page#searchedTo()}.
 */
public record EventQuery(String tenantId, Set<EventStatus> statuses, Set<Severity> severities, Set<SourceType> sources,
                         String resource, Map<String, String> labels, Instant from, Instant to, String text,
                         UUID incidentId, int limit, String cursor, int scanLimit) {
    public EventQuery {
        statuses = statuses == null ? Set.of() : Set.copyOf(statuses);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        sources = sources == null ? Set.of() : Set.copyOf(sources);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        limit = Math.clamp(limit, 1, 500);
        if (scanLimit < 0) {
            throw new IllegalArgumentException("scanLimit must be 0 (no bound) or more: " + scanLimit);
        }
    }

    /** No scan bound: every page reads as far as it must to fill. */
    public EventQuery(String tenantId, Set<EventStatus> statuses, Set<Severity> severities, Set<SourceType> sources,
                      String resource, Map<String, String> labels, Instant from, Instant to, String text,
                      UUID incidentId, int limit, String cursor) {
        this(tenantId, statuses, severities, sources, resource, labels, from, to, text, incidentId, limit, cursor, 0);
    }

    /**
     * The bound a page applies: {@link #scanLimit()} when a filter other than time is given, else 0. The events of
     * one incident are not bounded (an index finds them), nor is a plain list or a time range.
     */
    public int pageScanLimit() {
        boolean filtered = !statuses.isEmpty() || !severities.isEmpty() || !sources.isEmpty()
                || (resource != null && !resource.isEmpty()) || !labels.isEmpty() || (text != null && !text.isEmpty());
        return filtered && incidentId == null ? scanLimit : 0;
    }

    public static EventQuery all(String tenantId, int limit) {
        return new EventQuery(tenantId, null, null, null, null, null, null, null, null, null, limit, null);
    }
}
