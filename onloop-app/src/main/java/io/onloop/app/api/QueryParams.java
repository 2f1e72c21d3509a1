package io.onloop.app.api;

import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.store.Page;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Turns query strings into filter values, or a 400 that names the parameter and says what it accepts.
 * Multi-valued filters accept both repetition ({@code ?status=open&status=acknowledged}) and commas.
 */
public final class QueryParams {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;

    private QueryParams() {
    }

    static <E extends Enum<E>> Set<E> enums(String name, List<String> values, Class<E> type,
                                            Function<String, E> fromId, Function<E, String> id) {
        if (values == null) {
            return Set.of();
        }
        Set<E> out = new LinkedHashSet<>();
        for (String value : split(values)) {
            try {
                out.add(fromId.apply(value));
            } catch (IllegalArgumentException e) {
                String allowed = Arrays.stream(type.getEnumConstants()).map(id).collect(Collectors.joining(", "));
                throw ApiException.badParameter(name, "unknown value '" + value + "'; expected one of " + allowed);
            }
        }
        return out;
    }

    /** A time range of {@code from} and {@code to}, either open. */
    public record TimeRange(Instant from, Instant to) {
        /** {@code from} after {@code to}: such a range holds nothing, and is more likely swapped than meant. */
        public boolean backwards() {
            return from != null && to != null && from.isAfter(to);
        }
    }

    /** The API's range: backwards is refused. */
    static TimeRange range(String from, String to) {
        TimeRange r = new TimeRange(instant("from", from), instant("to", to));
        if (r.backwards()) {
            throw ApiException.badParameter("from", "after to (" + r.to() + "), so nothing is in the range")
                    .with("parameters", java.util.List.of("from", "to"));
        }
        return r;
    }

    /** RFC 3339 timestamps: {@code 2024-05-01T12:00:00Z} or with an offset. */
    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(value.strip()).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.badParameter(name, "not an RFC 3339 timestamp such as 2024-05-01T12:00:00Z");
        }
        return storable(name, t);
    }

    /** Years 1 to 9999 only: beyond them PostgreSQL cannot compare or store the time. */
    public static Instant storable(String name, Instant t) {
        if (t != null && !EventLimits.storable(t)) {
            throw ApiException.badParameter(name, "must be between years 1 and 9999");
        }
        return t;
    }

    public static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badParameter("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    /** {@code label=k=v}, repeatable; every given label must match. */
    static Map<String, String> labels(List<String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        if (values == null) {
            return out;
        }
        for (String value : values) {
            int eq = value.indexOf('=');
            if (eq <= 0) {
                throw ApiException.badParameter("label", "expected name=value, got '" + value + "'");
            }
            out.put(value.substring(0, eq), value.substring(eq + 1));
        }
        return out;
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter(name, "not a UUID");
        }
    }

    static SourceType sourceType(String id) {
        return SourceType.fromId(id.strip()).orElseThrow(IllegalArgumentException::new);
    }

    /** Runs a paged query; a cursor the store cannot read is the caller's mistake, not ours. */
    public static <T> Page<T> page(Supplier<Page<T>> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("cursor", "not a cursor from a previous page");
        }
    }

    public static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static List<String> split(List<String> values) {
        return values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }
}
