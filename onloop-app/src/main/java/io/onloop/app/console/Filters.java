package io.onloop.app.console;

import io.onloop.app.api.QueryParams.TimeRange;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.IncidentQuery;
import org.springframework.util.MultiValueMap;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The filter form of the events and incidents pages, read from the query string. A value that does
 * not parse is reported next to the form (and left out of the query) instead of failing the page.
 * Times are UTC: the form's {@code datetime-local} fields, or RFC 3339. Public, as are its fields,
 * because the templates read them.
 */
public final class Filters {
    static final int PAGE_SIZE = 50;

    public final Set<String> statuses = new LinkedHashSet<>();
    public final Set<String> severities = new LinkedHashSet<>();
    public final Set<String> sources = new LinkedHashSet<>();
    public final String resource;
    public final String label;
    public final String q;
    public final String from;
    public final String to;
    public final String incident;
    public final String cursor;
    public final List<String> errors = new ArrayList<>();

    private Filters(MultiValueMap<String, String> params) {
        statuses.addAll(values(params, "status"));
        severities.addAll(values(params, "severity"));
        sources.addAll(values(params, "source"));
        resource = text(params.getFirst("resource"));
        label = text(params.getFirst("label"));
        q = text(params.getFirst("q"));
        from = text(params.getFirst("from"));
        to = text(params.getFirst("to"));
        incident = text(params.getFirst("incident"));
        cursor = text(params.getFirst("cursor"));
    }

    static Filters of(MultiValueMap<String, String> params) {
        return new Filters(params);
    }

    /** {@code scanLimit}: onloop.search.max-scanned. */
    EventQuery events(String tenantId, int scanLimit) {
        TimeRange range = range();
        return new EventQuery(tenantId, parse("status", statuses, EventStatus.class, EventStatus::fromId),
                parse("severity", severities, Severity.class, Severity::fromId),
                parse("source", sources, SourceType.class, Filters::sourceType), resource, labels(),
                range.from(), range.to(), q, uuid(), PAGE_SIZE, cursor, scanLimit);
    }

    IncidentQuery incidents(String tenantId, int scanLimit) {
        TimeRange range = range();
        return new IncidentQuery(tenantId, parse("status", statuses, IncidentStatus.class, IncidentStatus::fromId),
                parse("severity", severities, Severity.class, Severity::fromId),
                parse("source", sources, SourceType.class, Filters::sourceType), resource, labels(),
                range.from(), range.to(), q, PAGE_SIZE, cursor, scanLimit);
    }

    /** From and to; backwards is said, and the list is as the filter asks: empty. */
    private TimeRange range() {
        TimeRange range = new TimeRange(instant("from", from), instant("to", to));
        if (range.backwards()) {
            errors.add("from: after to, so nothing is in the range");
        }
        return range;
    }

    /** The filters without the cursor, by parameter name. */
    private Map<String, Object> withoutCursor() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "status", statuses);
        put(m, "severity", severities);
        put(m, "source", sources);
        put(m, "resource", resource);
        put(m, "label", label);
        put(m, "q", q);
        put(m, "from", from);
        put(m, "to", to);
        put(m, "incident", incident);
        return m;
    }

    /** {@code path} with these filters, and the cursor of the page to show (null for the first). */
    String url(String path, String pageCursor) {
        List<String> pairs = new ArrayList<>();
        withoutCursor().forEach((name, value) -> {
            for (Object v : value instanceof List<?> list ? list : List.of(value)) {
                pairs.add(name + "=" + URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
            }
        });
        if (pageCursor != null) {
            pairs.add("cursor=" + URLEncoder.encode(pageCursor, StandardCharsets.UTF_8));
        }
        return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
    }

    /** Whether a filter beyond text and status is in use (or wrong), so the form shows them all. */
    public boolean refined() {
        return !severities.isEmpty() || !sources.isEmpty() || resource != null || label != null || from != null
                || to != null || !errors.isEmpty();
    }

    public boolean has(String name, String value) {
        return switch (name) {
            case "status" -> statuses.contains(value);
            case "severity" -> severities.contains(value);
            case "source" -> sources.contains(value);
            default -> false;
        };
    }

    private <E extends Enum<E>> Set<E> parse(String name, Set<String> values, Class<E> type, Function<String, E> fromId) {
        Set<E> out = EnumSet.noneOf(type);
        for (String v : values) {
            try {
                out.add(fromId.apply(v));
            } catch (IllegalArgumentException e) {
                errors.add(name + ": unknown value '" + v + "'");
            }
        }
        return out;
    }

    private Map<String, String> labels() {
        if (label == null) {
            return Map.of();
        }
        int eq = label.indexOf('=');
        if (eq <= 0) {
            errors.add("label: expected name=value");
            return Map.of();
        }
        return Map.of(label.substring(0, eq).strip(), label.substring(eq + 1).strip());
    }

    private Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        Instant t;
        try {
            t = value.length() <= 19 ? LocalDateTime.parse(value).toInstant(ZoneOffset.UTC)
                    : OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            errors.add(name + ": not a time such as 2024-05-01T12:00 (UTC)");
            return null;
        }
        if (!EventLimits.storable(t)) {
            errors.add(name + ": must be between years 1 and 9999");
            return null;
        }
        return t;
    }

    private UUID uuid() {
        if (incident == null) {
            return null;
        }
        try {
            return UUID.fromString(incident);
        } catch (IllegalArgumentException e) {
            errors.add("incident: not an incident id");
            return null;
        }
    }

    private static SourceType sourceType(String id) {
        return SourceType.fromId(id).orElseThrow(IllegalArgumentException::new);
    }

    private static List<String> values(MultiValueMap<String, String> params, String name) {
        List<String> raw = params.getOrDefault(name, List.of());
        return raw.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .toList();
    }

    private static void put(Map<String, Object> m, String name, Object value) {
        if (value instanceof Set<?> set && !set.isEmpty()) {
            m.put(name, List.copyOf(set));
        } else if (value instanceof String s) {
            m.put(name, s);
        }
    }

    private static String text(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }
}
