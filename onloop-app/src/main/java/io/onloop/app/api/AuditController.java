package io.onloop.app.api;

import io.onloop.app.api.Dtos.AuditDto;
import io.onloop.app.api.Dtos.PageDto;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.audit.AuditQuery;
import io.onloop.domain.store.EventStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The tenant's append-only audit log, readable by every role: who changed what is no secret inside a team. */
@RestController
@Tag(name = "audit")
class AuditController {
    private final EventStore store;

    AuditController(EventStore store) {
        this.store = store;
    }

    @GetMapping("/api/v1/audit")
    @Operation(summary = "The audit log, newest first; filtered by actor, action (exact, or a prefix ending in *, "
            + "e.g. recommendation.*), targetType, targetId and a time range [from, to)")
    PageDto<AuditDto> list(@AuthenticationPrincipal OnloopPrincipal me,
                           @RequestParam(required = false) String actor,
                           @RequestParam(required = false) String action,
                           @RequestParam(required = false) String targetType,
                           @RequestParam(required = false) String targetId,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           @RequestParam(required = false) String limit,
                           @RequestParam(required = false) String cursor) {
        int size = QueryParams.limit(limit);
        String after = QueryParams.text(cursor);
        var range = QueryParams.range(from, to);
        var query = new AuditQuery(me.tenantId(), actor, action, targetType, targetId, range.from(), range.to());
        return PageDto.of(QueryParams.page(() -> store.auditLog(query, size, after)), AuditDto::of);
    }
}
