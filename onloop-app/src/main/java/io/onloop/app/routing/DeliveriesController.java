package io.onloop.app.routing;

import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.api.Dtos.PageDto;
import io.onloop.app.api.QueryParams;
import io.onloop.app.routing.RoutingDtos.DeliveryDto;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.DeliveryStore;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.UUID;

/** The outbox: what is waiting, delivered or dead (with its error), and replaying the dead. */
@RestController
@RequestMapping("/api/v1/deliveries")
@Tag(name = "routing")
class DeliveriesController {
    private final DeliveryStore store;
    private final AuditLog audit;
    private final Clock clock;

    DeliveriesController(DeliveryStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Deliveries, newest first",
            description = "status: pending, delivered, dead, or all (default); limit (1-500, default 50) and cursor "
                    + "(nextCursor of the previous page).")
    PageDto<DeliveryDto> list(@AuthenticationPrincipal OnloopPrincipal me,
                              @RequestParam(required = false) String status,
                              @RequestParam(required = false) String limit,
                              @RequestParam(required = false) String cursor) {
        DeliveryStatus wanted = status(QueryParams.text(status));
        int n = QueryParams.limit(limit);
        return PageDto.of(QueryParams.page(() -> store.deliveries(me.tenantId(), wanted, n, QueryParams.text(cursor))),
                DeliveryDto::of);
    }

    /** null: every status ("all", or none given). */
    private static DeliveryStatus status(String status) {
        if (status == null || status.equals("all")) {
            return null;
        }
        try {
            return DeliveryStatus.fromId(status);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("status", "expected one of pending, delivered, dead, all");
        }
    }

    @PostMapping("/{id}/replay")
    @Operation(summary = "Send a dead delivery again (responder)")
    DeliveryDto replay(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        var d = store.findDelivery(me.tenantId(), id).orElseThrow(() -> ApiException.notFound("delivery " + id));
        audit.inOneTransaction(() -> {
            if (!store.replay(me.tenantId(), id, clock.instant())) {
                throw ApiException.conflict(d.status() == DeliveryStatus.DEAD
                        ? "delivery " + id + " is not sent again: it is not the latest notification of its group to "
                        + d.target() + ", and would show the group as it was; replay the latest, if it is dead too"
                        : "delivery " + id + " is " + d.status().id() + ", not dead");
            }
            audit.record(me.tenantId(), me.name(), "delivery.replay", "delivery", id.toString(),
                    d.target() + " after: " + d.lastError());
            return null;
        });
        return store.findDelivery(me.tenantId(), id).map(DeliveryDto::of).orElseThrow();
    }
}
