package io.onloop.app.routing;

import io.onloop.adapters.delivery.InvalidRoutesException;
import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.routing.DryRun;
import io.onloop.domain.routing.Matcher;
import io.onloop.domain.routing.RoutingConfig;
import io.onloop.domain.routing.Silence;
import io.onloop.domain.routing.Suppression;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** JSON shapes of the routing, silence and delivery API. */
public final class RoutingDtos {
    private RoutingDtos() {
    }

    public record RoutingSummaryDto(int routes, List<String> receivers, int inhibitRules, List<String> timeIntervals) {
        static RoutingSummaryDto of(RoutingConfig c) {
            return new RoutingSummaryDto(c.root().flatten().size(), c.receivers().keySet().stream().sorted().toList(),
                    c.inhibitRules().size(), c.timeIntervals().keySet().stream().sorted().toList());
        }
    }

    public record ProblemDto(int line, int column, String path, String message) {
        static ProblemDto of(InvalidRoutesException.Problem p) {
            return new ProblemDto(p.line(), p.column(), p.path(), p.message());
        }
    }

    public record DryRunDto(String fingerprint, String status, Map<String, String> labels, List<String> trace,
                            List<MatchDto> matches) {
        static DryRunDto of(String fingerprint, String status, DryRun r) {
            return new DryRunDto(fingerprint, status, new java.util.TreeMap<>(r.labels()), r.trace(),
                    r.matches().stream().map(MatchDto::of).toList());
        }
    }

    public record MatchDto(String route, String receiver, List<String> targets, Map<String, String> groupLabels,
                           String groupKey, boolean suppressed, SuppressionDto suppressedBy) {
        static MatchDto of(DryRun.Match m) {
            return new MatchDto(m.routeId(), m.receiver(), m.targets(), m.groupLabels(), m.groupKey(),
                    m.suppressedBy() != null, m.suppressedBy() == null ? null : SuppressionDto.of(m.suppressedBy()));
        }
    }

    public record SuppressionDto(String kind, String ref, String reason) {
        static SuppressionDto of(Suppression s) {
            return new SuppressionDto(s.kind().name().toLowerCase(java.util.Locale.ROOT), s.ref(), s.reason());
        }
    }

    public record SilenceRequest(List<String> matchers, Instant startsAt, Instant endsAt, String comment) {
    }

    public record SilenceDto(UUID id, List<String> matchers, Instant startsAt, Instant endsAt, String createdBy,
                             String comment, Instant createdAt, String state) {
        static SilenceDto of(Silence s, Instant now) {
            return new SilenceDto(s.id(), s.matchers().stream().map(Matcher::toString).toList(), s.startsAt(),
                    s.endsAt(), s.createdBy(), s.comment(), s.createdAt(),
                    s.state(now).name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    public record DeliveryDto(UUID id, String target, String targetType, String threadKey, String status,
                              int attempts, Instant nextAttempt, String lastError, Instant createdAt,
                              Instant deliveredAt) {
        static DeliveryDto of(Delivery d) {
            return new DeliveryDto(d.id(), d.target(), d.targetType(), d.threadKey(), d.status().id(), d.attempts(),
                    d.nextAttempt(), d.lastError(), d.createdAt(), d.deliveredAt());
        }
    }
}
