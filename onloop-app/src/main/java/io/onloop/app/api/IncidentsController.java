package io.onloop.app.api;

import io.onloop.app.config.OnloopProperties;
import io.onloop.app.api.Dtos.CommentRequest;
import io.onloop.app.api.Dtos.EventDto;
import io.onloop.app.api.Dtos.IncidentDetailDto;
import io.onloop.app.api.Dtos.IncidentDto;
import io.onloop.app.api.Dtos.NoteRequest;
import io.onloop.app.api.Dtos.PageDto;
import io.onloop.app.api.Dtos.TimelineDto;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentActions;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.IncidentQuery;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/** Incidents of the caller's tenant: list, inspect, and the responder's actions on them. */
@RestController
@RequestMapping("/api/v1/incidents")
@Tag(name = "incidents")
class IncidentsController {
    static final int MAX_TEXT = 10_000;
    private static final int LATEST_EVENTS = 50;

    private final EventStore store;
    private final IncidentActions actions;
    private final int scanLimit;

    IncidentsController(EventStore store, IncidentActions actions, OnloopProperties props) {
        this.store = store;
        this.scanLimit = props.search().maxScanned();
        this.actions = actions;
    }

    @GetMapping
    @Operation(summary = "List incidents, newest opened first",
            description = "Filters combine with AND; label=name=value may repeat; from/to bound the opening time."
                    + " A page filtered by anything but time and status reads at most onloop.search.max-scanned"
                    + " incidents, as the event list does (see there): it may be short or empty and still have a"
                    + " nextCursor.")
    PageDto<IncidentDto> list(@AuthenticationPrincipal OnloopPrincipal me,
                              @RequestParam(required = false) List<String> status,
                              @RequestParam(required = false) List<String> severity,
                              @RequestParam(required = false) List<String> source,
                              @RequestParam(required = false) String resource,
                              @RequestParam(required = false) List<String> label,
                              @RequestParam(required = false) String from,
                              @RequestParam(required = false) String to,
                              @RequestParam(required = false) String q,
                              @RequestParam(required = false) String limit,
                              @RequestParam(required = false) String cursor) {
        var range = QueryParams.range(from, to);
        var query = new IncidentQuery(me.tenantId(),
                QueryParams.enums("status", status, IncidentStatus.class, IncidentStatus::fromId, IncidentStatus::id),
                QueryParams.enums("severity", severity, Severity.class, Severity::fromId, Severity::id),
                QueryParams.enums("source", source, SourceType.class, QueryParams::sourceType, SourceType::id),
                QueryParams.text(resource), QueryParams.labels(label), range.from(), range.to(), QueryParams.text(q),
                QueryParams.limit(limit),
                QueryParams.text(cursor), scanLimit);
        return PageDto.of(QueryParams.page(() -> store.findIncidents(query)), IncidentDto::of);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One incident with its timeline and its latest events")
    IncidentDetailDto get(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        Incident incident = store.findIncident(me.tenantId(), id).orElseThrow(() -> notFound(id));
        var events = store.findEvents(new EventQuery(me.tenantId(), null, null, null, null, null, null, null, null,
                id, LATEST_EVENTS, null));
        return new IncidentDetailDto(IncidentDto.of(incident),
                store.timeline(me.tenantId(), id).stream().map(TimelineDto::of).toList(),
                events.items().stream().map(EventDto::summary).toList());
    }

    @PostMapping("/{id}/acknowledge")
    @Operation(summary = "Acknowledge an open incident (responder)")
    IncidentDto acknowledge(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        return act(id, () -> actions.acknowledge(me.tenantId(), id, me.name()));
    }

    @PostMapping("/{id}/resolve")
    @Operation(summary = "Resolve an incident, with an optional note (responder)")
    IncidentDto resolve(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                        @RequestBody(required = false) NoteRequest body) {
        String note = body == null ? null : body.note();
        if (note != null && note.length() > MAX_TEXT) {
            throw ApiException.badParameter("note", "at most " + MAX_TEXT + " characters");
        }
        return act(id, () -> actions.resolve(me.tenantId(), id, me.name(), note));
    }

    @PostMapping("/{id}/comments")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Add a comment to the incident's timeline (responder)")
    TimelineDto comment(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                        @RequestBody CommentRequest body) {
        String text = body.text();
        if (text == null || text.isBlank()) {
            throw ApiException.badParameter("text", "required");
        }
        if (text.length() > MAX_TEXT) {
            throw ApiException.badParameter("text", "at most " + MAX_TEXT + " characters");
        }
        return actions.comment(me.tenantId(), id, me.name(), text).map(TimelineDto::of)
                .orElseThrow(() -> notFound(id));
    }

    /** Runs a state change; a state that does not allow it is a 409, an unknown id (or another tenant's) a 404. */
    private static IncidentDto act(UUID id, Supplier<Optional<Incident>> action) {
        try {
            return action.get().map(IncidentDto::of).orElseThrow(() -> notFound(id));
        } catch (IllegalStateException e) {
            throw ApiException.conflict(e.getMessage());
        }
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("incident " + id);
    }
}
