package io.onloop.app.routing;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.routing.RoutingDtos.SilenceDto;
import io.onloop.app.routing.RoutingDtos.SilenceRequest;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.event.Ids;
import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.Silence;
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

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Silences (responder): matchers, a start and an end, who and why. Expired, never deleted; every change audited. */
@RestController
@RequestMapping("/api/v1/silences")
@Tag(name = "routing")
class SilencesController {
    static final int MAX_MATCHERS = 50;
    static final int MAX_COMMENT = 10_000;

    private final RoutingService routing;
    private final AuditLog audit;
    private final Clock clock;

    SilencesController(RoutingService routing, AuditLog audit, Clock clock) {
        this.routing = routing;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "List silences, newest first; state=active|pending|expired|all (default: active and pending)")
    List<SilenceDto> list(@AuthenticationPrincipal OnloopPrincipal me, @RequestParam(required = false) String state) {
        Instant now = clock.instant();
        String s = state == null ? "current" : state.strip().toLowerCase(Locale.ROOT);
        if (!List.of("current", "active", "pending", "expired", "all").contains(s)) {
            throw ApiException.badParameter("state", "expected one of active, pending, expired, all");
        }
        return routing.allSilences(me.tenantId()).stream()
                .filter(x -> switch (s) {
                    case "all" -> true;
                    case "current" -> x.state(now) != Silence.State.EXPIRED;
                    default -> x.state(now).name().equalsIgnoreCase(s);
                })
                .map(x -> SilenceDto.of(x, now)).toList();
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Create a silence", description = "matchers as in Alertmanager (name=\"value\", name=~\"re\", "
            + "!=, !~); startsAt defaults to now; endsAt is required; the author is the caller.")
    SilenceDto create(@AuthenticationPrincipal OnloopPrincipal me, @RequestBody SilenceRequest body) {
        if (body.matchers() == null || body.matchers().isEmpty()) {
            throw ApiException.badParameter("matchers", "at least one matcher is required");
        }
        if (body.matchers().size() > MAX_MATCHERS) {
            throw ApiException.badParameter("matchers", "at most " + MAX_MATCHERS);
        }
        List<Matcher> matchers = new ArrayList<>();
        for (int i = 0; i < body.matchers().size(); i++) {
            String text = body.matchers().get(i);
            try {
                matchers.add(Matcher.parse(text == null ? "" : text));
            } catch (IllegalArgumentException e) {
                throw ApiException.badParameter("matchers[" + i + "]", e.getMessage());
            }
        }
        if (matchers.stream().allMatch(m -> m.matches(java.util.Map.of()))) {
            throw ApiException.badParameter("matchers", "these matchers match every alert; add one that needs a label");
        }
        Instant now = clock.instant();
        Instant starts = body.startsAt() == null ? now : body.startsAt();
        if (body.endsAt() == null) {
            throw ApiException.badParameter("endsAt", "required");
        }
        if (!body.endsAt().isAfter(starts) || !body.endsAt().isAfter(now)) {
            throw ApiException.badParameter("endsAt", "must be after startsAt and in the future");
        }
        String comment = body.comment() == null ? "" : body.comment().strip();
        if (comment.isEmpty()) {
            throw ApiException.badParameter("comment", "say why (it is shown wherever the silence holds an alert)");
        }
        if (comment.length() > MAX_COMMENT) {
            throw ApiException.badParameter("comment", "at most " + MAX_COMMENT + " characters");
        }
        Silence s = new Silence(Ids.newId(now), me.tenantId(), matchers, starts, body.endsAt(), me.name(), comment, now);
        routing.saveSilence(s);
        audit.record(me.tenantId(), me.name(), "silence.create", "silence", s.id().toString(),
                matchers + " from " + starts + " to " + s.endsAt());
        return SilenceDto.of(s, now);
    }

    @PostMapping("/{id}/expire")
    @Operation(summary = "End a silence now")
    SilenceDto expire(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        Instant now = clock.instant();
        Silence s = routing.findSilence(me.tenantId(), id)
                .orElseThrow(() -> ApiException.notFound("silence " + id));
        if (s.state(now) == Silence.State.EXPIRED) {
            throw ApiException.conflict("silence " + id + " has already ended");
        }
        Silence expired = s.expired(now);
        routing.saveSilence(expired);
        audit.record(me.tenantId(), me.name(), "silence.expire", "silence", id.toString(), s.matchers().toString());
        return SilenceDto.of(expired, now);
    }
}
