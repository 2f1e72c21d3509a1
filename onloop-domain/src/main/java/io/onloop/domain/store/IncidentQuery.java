package io.onloop.domain.store;

import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.IncidentStatus;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * A filter over one tenant's incidents, newest-opened first; empty sets and nulls mean "any".
 * {@code from}/{@code to} bound the opening time; {@code labels} match the incident's labels;
 * {@code text} is a case-insensitive substring of the title. {@code scanLimit} bounds what one page reads as
 * {@link EventQuery#scanLimit()} does.
 */
public record IncidentQuery(String tenantId, Set<IncidentStatus> statuses, Set<Severity> severities,
                            Set<SourceType> sources, String resource, Map<String, String> labels, Instant from,
                            Instant to, String text, int limit, String cursor, int scanLimit) {
    public IncidentQuery {
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
    public IncidentQuery(String tenantId, Set<IncidentStatus> statuses, Set<Severity> severities,
                         Set<SourceType> sources, String resource, Map<String, String> labels, Instant from,
                         Instant to, String text, int limit, String cursor) {
        this(tenantId, statuses, severities, sources, resource, labels, from, to, text, limit, cursor, 0);
    }

    /** As {@link EventQuery#pageScanLimit()}, except that a status alone is not bounded: open incidents are never cut short. */
    public int pageScanLimit() {
        boolean filtered = !severities.isEmpty() || !sources.isEmpty() || (resource != null && !resource.isEmpty())
                || !labels.isEmpty() || (text != null && !text.isEmpty());
        return filtered ? scanLimit : 0;
    }

    public static IncidentQuery all(String tenantId, int limit) {
        return new IncidentQuery(tenantId, null, null, null, null, null, null, null, null, limit, null);
    }
}
