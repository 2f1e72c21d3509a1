package io.onloop.app.api;

import io.onloop.app.config.OnloopProperties;
import io.onloop.app.api.Dtos.EventDto;
import io.onloop.app.api.Dtos.PageDto;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.UUID;

/** Read access to the normalized events of the caller's tenant. */
@RestController
@RequestMapping("/api/v1/events")
@Tag(name = "events")
class EventsController {
    private final EventStore store;
    private final int scanLimit;

    EventsController(EventStore store, OnloopProperties props) {
        this.store = store;
        this.scanLimit = props.search().maxScanned();
    }

    @GetMapping
    @Operation(summary = "List events, newest first",
            description = "Filters combine with AND; label=name=value may repeat; from/to are RFC 3339. A page"
                    + " filtered by anything but time or incident reads at most onloop.search.max-scanned events,"
                    + " newest first; when it finds no more than limit there, it returns those, searchedTo"
                    + " (how far back it looked) and a nextCursor that searches on. So a page may be short or"
                    + " empty and still have a nextCursor: follow it until it is absent.")
    PageDto<EventDto> list(@AuthenticationPrincipal OnloopPrincipal me,
                           @RequestParam(required = false) List<String> status,
                           @RequestParam(required = false) List<String> severity,
                           @RequestParam(required = false) List<String> source,
                           @RequestParam(required = false) String resource,
                           @RequestParam(required = false) List<String> label,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           @RequestParam(required = false) String q,
                           @RequestParam(required = false) String incident,
                           @RequestParam(required = false) String limit,
                           @RequestParam(required = false) String cursor) {
        var range = QueryParams.range(from, to);
        var query = new EventQuery(me.tenantId(),
                QueryParams.enums("status", status, EventStatus.class, EventStatus::fromId, EventStatus::id),
                QueryParams.enums("severity", severity, Severity.class, Severity::fromId, Severity::id),
                QueryParams.enums("source", source, SourceType.class, QueryParams::sourceType, SourceType::id),
                QueryParams.text(resource), QueryParams.labels(label), range.from(), range.to(), QueryParams.text(q),
                QueryParams.uuid("incident", incident),
                QueryParams.limit(limit), QueryParams.text(cursor), scanLimit);
        return PageDto.of(QueryParams.page(() -> store.findEvents(query)), EventDto::summary);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One event, with its raw payload (secrets redacted)")
    EventDto get(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        return store.findEvent(me.tenantId(), id).map(e -> EventDto.of(e, true))
                .orElseThrow(() -> ApiException.notFound("event " + id));
    }
}
