package io.onloop.domain.store;

import java.time.Instant;
import java.util.List;

/**
 * One page of results, newest first. {@code nextCursor} is opaque; null when there is no more.
 *
 * <p>{@code searchedTo} is set when a filtered search reached its scan bound ({@link EventQuery#pageScanLimit()},
 * {@link IncidentQuery#pageScanLimit()}: lists filtered by anything but time, one incident or incident status alone)
 * without finding more than a page: {@code items} holds every match from the cursor down to the last row it read,
 * received (or opened) at {@code searchedTo}. Older rows, and rows of that same instant past that one, have not been
 * searched yet: the page may be short, even empty, and still have a {@code nextCursor}, which searches on from
 * exactly there.
 */
public record Page<T>(List<T> items, String nextCursor, Instant searchedTo) {
    public Page {
        items = List.copyOf(items);
    }

    public Page(List<T> items, String nextCursor) {
        this(items, nextCursor, null);
    }
}
