package io.onloop.app.routing;

import io.onloop.app.api.ApiException;
import io.onloop.app.routing.RoutingDtos.SilenceDto;
import io.onloop.app.routing.RoutingDtos.SilenceRequest;
import io.onloop.app.security.OnloopPrincipal;
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
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Silences (responder): matchers, a start and an end, who and why. Expired, never deleted; every change audited. */
@RestController
@RequestMapping("/api/v1/silences")
@Tag(name = "routing")
class SilencesController {
    private final RoutingService routing;
    private final SilenceActions actions;
    private final Clock clock;

    SilencesController(RoutingService routing, SilenceActions actions, Clock clock) {
        this.routing = routing;
        this.actions = actions;
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
        return SilenceDto.of(actions.create(me.tenantId(), me.name(), body), clock.instant());
    }

    @PostMapping("/{id}/expire")
    @Operation(summary = "End a silence now")
    SilenceDto expire(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        return SilenceDto.of(actions.expire(me.tenantId(), me.name(), id), clock.instant());
    }
}
