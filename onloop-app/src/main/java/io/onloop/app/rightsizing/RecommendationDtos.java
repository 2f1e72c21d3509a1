package io.onloop.app.rightsizing;

import io.onloop.domain.rightsizing.Evidence;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.ChangePlan;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/** JSON shapes of the recommendations API, apart from the domain records so storage can change. */
public final class RecommendationDtos {
    private RecommendationDtos() {
    }

    public record WorkloadDto(String provider, String environment, String namespace, String kind, String name,
                              String container, String key) {
        static WorkloadDto of(WorkloadRef w) {
            return new WorkloadDto(w.provider(), w.environment(), w.namespace(), w.kind(), w.name(), w.container(),
                    w.key());
        }
    }

    public record ChangeDto(String setting, String current, String recommended) {
        static ChangeDto of(SettingChange c) {
            return new ChangeDto(c.setting(), c.current(), c.recommended());
        }
    }

    public record EvidenceDto(Instant historyStart, Instant historyEnd, long samples, Map<String, Double> statistics,
                              List<String> notes) {
        static EvidenceDto of(Evidence e) {
            return new EvidenceDto(e.historyStart(), e.historyEnd(), e.samples(), new java.util.TreeMap<>(e.statistics()),
                    e.notes());
        }
    }

    /**
     * @param kind    kubernetes_patch, kubectl, git_diff, kustomize_patch or aws_api_call
     * @param content the patch (JSON), command, unified diff, kustomize file (YAML) or API call (JSON)
     */
    public record StepDto(String kind, String title, String path, String content) {
        static StepDto of(ChangePlan.Step s) {
            return new StepDto(s.kind().name().toLowerCase(Locale.ROOT), s.title(), s.path(), s.content());
        }
    }

    /** @param applied always false: onloop makes the plan, the autopilot or a person carries it out */
    public record ChangePlanDto(List<StepDto> steps, List<String> notes, boolean applied) {
        static ChangePlanDto of(ChangePlan p) {
            return p == null ? null : new ChangePlanDto(p.steps().stream().map(StepDto::of).toList(), p.notes(), false);
        }
    }

    public record RecommendationDto(UUID id, String status, WorkloadDto workload, String direction,
                                    List<ChangeDto> changes, double monthlyCostNow, double monthlyCostAfter,
                                    double monthlySavings, String currency, double risk, List<String> riskReasons,
                                    double confidence, EvidenceDto evidence, Instant computedAt, Instant createdAt,
                                    Instant updatedAt, String decidedBy, Instant decidedAt, String comment,
                                    ChangePlanDto plan) {
        static RecommendationDto of(StoredRecommendation s) {
            var r = s.recommendation();
            return new RecommendationDto(s.id(), s.status().id(), WorkloadDto.of(r.workload()),
                    r.direction().name().toLowerCase(Locale.ROOT), r.changes().stream().map(ChangeDto::of).toList(),
                    r.monthlyCostNow(), r.monthlyCostAfter(), r.monthlySavings(), r.currency(), r.risk(),
                    r.riskReasons(), r.confidence(), EvidenceDto.of(r.evidence()), r.computedAt(), s.createdAt(),
                    s.updatedAt(), s.decidedBy(), s.decidedAt(), s.comment(), ChangePlanDto.of(s.plan()));
        }
    }

    public record PageDto(List<RecommendationDto> items, String nextCursor) {
    }

    /**
     * @param manifest     the workload's manifest as it is in Git (YAML text), for a diff of it; optional
     * @param manifestPath its path in the repository, for the diff's headers; optional
     */
    /** {@code updatedAt}: the recommendation's, as the approver read it; if a scan refreshed it since, 409. */
    public record ApproveRequest(String comment, String manifest, String manifestPath, Instant updatedAt) {
    }

    /** {@code updatedAt}: as for {@link ApproveRequest}. */
    public record RejectRequest(String comment, Instant updatedAt) {
    }
}
