package io.onloop.app.console;

import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.store.Page;
import org.springframework.ui.Model;

import java.util.Arrays;
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

    /**
     * The model a filterable, paged list ({@code path}) and its rows fragment ({@code path/rows})
     * share: the filters, one page of results (none while a filter is invalid), the choices for the
     * filter form and the paging links.
     */
    static <T> void list(Model model, Filters filters, String path, List<?> statuses, Supplier<Page<T>> query) {
        Page<T> page = filters.errors.isEmpty() ? read(filters, query) : new Page<>(List.of(), null);
        model.addAttribute("filters", filters);
        model.addAttribute("page", page);
        model.addAttribute("statuses", statuses);
        model.addAttribute("severities", Arrays.asList(Severity.values()));
        model.addAttribute("sources", Arrays.asList(SourceType.values()));
        model.addAttribute("rowsUrl", filters.url(path + "/rows", filters.cursor));
        model.addAttribute("nextUrl", page.nextCursor() == null ? null : filters.url(path, page.nextCursor()));
        model.addAttribute("firstUrl", filters.cursor == null ? null : filters.url(path, null));
    }
}
