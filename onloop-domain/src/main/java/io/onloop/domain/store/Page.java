package io.onloop.domain.store;

import java.util.List;

/** One page of results, newest first. {@code nextCursor} is opaque; null when there is no more. */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
