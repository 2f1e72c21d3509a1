package io.onloop.domain.store;

import java.time.Instant;
import java.util.List;

/**
 * One page of results, newest first. {@code nextCursor} is opaque; null when there is no more.
 *
 * <p>{@code searchedTo} is set when a filtered search stopped at its scan bound ({@link EventQuery#scanLimit()})
 * before it filled the page: every match down to that time is in {@code items}, and older rows have not been
 * searched yet. The page may then be short, even empty, and still have a {@code nextCursor}, which searches on
 * from there.
 */
public record Page<T>(List<T> items, String nextCursor, Instant searchedTo) {
    public Page {
        items = List.copyOf(items);
    }

    public Page(List<T> items, String nextCursor) {
        this(items, nextCursor, null);
    }
}
