package io.onloop.app.console;

import io.onloop.domain.store.Page;

import java.util.List;
import java.util.function.Supplier;

final class Pages {
    private Pages() {
    }

    /** Runs a paged query; a cursor the store cannot read (edited by hand) is reported, not a crash. */
    static <T> Page<T> read(Filters filters, Supplier<Page<T>> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException e) {
            filters.errors.add("cursor: not a page of this list; start from the first page");
            return new Page<>(List.of(), null);
        }
    }
}
