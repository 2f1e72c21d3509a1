package io.onloop.app.rightsizing;

import io.onloop.app.api.ApiException;
import io.onloop.app.rightsizing.RecommendationDtos.ApproveRequest;
import io.onloop.app.rightsizing.RecommendationDtos.PageDto;
import io.onloop.app.rightsizing.RecommendationDtos.RecommendationDto;
import io.onloop.app.rightsizing.RecommendationDtos.RejectRequest;
import io.onloop.app.security.OnloopPrincipal;
import io.onloop.domain.rightsizing.copilot.AlreadyDecidedException;
import io.onloop.domain.rightsizing.copilot.ChangedSinceReadException;
import io.onloop.domain.rightsizing.copilot.ChangePlanner;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.PlanException;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
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
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Rightsizing recommendations (viewer), approved or rejected by an approver. Approving makes the change plan;
 * nothing is applied to any cluster or account by onloop. Every decision is audited.
 */
@RestController
@RequestMapping("/api/v1/recommendations")
@Tag(name = "rightsizing")
class RecommendationsController {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 500;
    /** A manifest is one workload's YAML; anything bigger is not one. */
    static final int MAX_MANIFEST_CHARS = 1024 * 1024;

    private final Copilot copilot;

    RecommendationsController(Copilot copilot) {
        this.copilot = copilot;
    }

    @GetMapping
    @Operation(summary = "List recommendations, highest monthly savings first",
            description = "Filters: environment, namespace, kind, provider (exact), minSavings (per month, in the "
                    + "recommendation's currency), maxRisk (0 to 1), status (open (default), approved, rejected, "
                    + "superseded or all); limit (1-500, default 50) and cursor (nextCursor of the previous page).")
    PageDto list(@AuthenticationPrincipal OnloopPrincipal me,
                 @RequestParam(required = false) String environment,
                 @RequestParam(required = false) String namespace,
                 @RequestParam(required = false) String kind,
                 @RequestParam(required = false) String provider,
                 @RequestParam(required = false) String minSavings,
                 @RequestParam(required = false) String maxRisk,
                 @RequestParam(required = false) String status,
                 @RequestParam(required = false) String limit,
                 @RequestParam(required = false) String cursor) {
        Double risk = number("maxRisk", maxRisk);
        if (risk != null && (risk < 0 || risk > 1)) {
            throw ApiException.badParameter("maxRisk", "must be between 0 and 1");
        }
        var query = new RecommendationQuery(me.tenantId(), text(environment), text(namespace), text(kind),
                text(provider), number("minSavings", minSavings), risk, status(status), limit(limit), text(cursor));
        var page = page(() -> copilot.list(query));
        return new PageDto(page.items().stream().map(RecommendationDto::of).toList(), page.nextCursor());
    }

    @GetMapping("/{id}")
    @Operation(summary = "One recommendation with its evidence, decision and (when approved) change plan")
    RecommendationDto get(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id) {
        return RecommendationDto.of(found(copilot.find(me.tenantId(), id)));
    }

    @PostMapping("/{id}/approve")
    @Operation(summary = "Approve an open recommendation; answers with it and its change plan",
            description = "The plan is the exact change: for Kubernetes a strategic-merge patch, the kubectl patch "
                    + "command and a unified diff of the manifest (when `manifest`, its YAML text in Git, is given; "
                    + "else a kustomize patch file); for AWS the API calls as JSON. Nothing is applied: the plan is "
                    + "for a person or the autopilot. 404 unknown id, 409 already decided, 422 no exact plan "
                    + "possible (the recommendation stays open). With `updatedAt` (the recommendation's, as read), 409 "
                    + "if a scan refreshed it since: what was read is not what would be approved.")
    RecommendationDto approve(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                              @RequestBody(required = false) ApproveRequest body) {
        var request = body == null ? new ApproveRequest(null, null, null, null) : body;
        ChangePlanner.Manifest manifest = null;
        if (request.manifest() != null) {
            if (request.manifest().length() > MAX_MANIFEST_CHARS) {
                throw unprocessable("manifest", "longer than " + MAX_MANIFEST_CHARS + " characters");
            }
            manifest = decide(() -> new ChangePlanner.Manifest(request.manifestPath(), request.manifest()));
        }
        var m = manifest;
        return RecommendationDto.of(found(decide(() -> {
            try {
                return copilot.approve(me.tenantId(), id, me.name(), request.comment(), m, request.updatedAt());
            } catch (PlanException e) {
                throw ManifestYaml.explain(e, request.manifest());
            }
        })));
    }

    @PostMapping("/{id}/reject")
    @Operation(summary = "Reject an open recommendation; the comment saying why is required",
            description = "404 unknown id, 409 already decided, 422 no comment.")
    RecommendationDto reject(@AuthenticationPrincipal OnloopPrincipal me, @PathVariable UUID id,
                             @RequestBody RejectRequest body) {
        return RecommendationDto.of(found(decide(() -> copilot.reject(me.tenantId(), id, me.name(), body.comment(), body.updatedAt()))));
    }

    /** Runs a decision, turning the copilot's refusals into 409 and 422. */
    private static <T> T decide(Supplier<T> decision) {
        try {
            return decision.get();
        } catch (AlreadyDecidedException e) {
            throw ApiException.conflict(e.getMessage()).with("recommendationStatus", e.status().id());
        } catch (ChangedSinceReadException e) {
            throw ApiException.conflict(e.getMessage()).with("updatedAt", e.current().updatedAt().toString());
        } catch (PlanException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "No change plan possible", e.getMessage());
        } catch (IllegalArgumentException e) {
            throw unprocessable("comment", e.getMessage()); // the copilot's only other refusal: the comment
        }
    }

    private static StoredRecommendation found(Optional<StoredRecommendation> r) {
        return r.orElseThrow(() -> ApiException.notFound("recommendation"));
    }

    private static ApiException unprocessable(String field, String detail) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", field + ": " + detail)
                .with("pointer", "/" + field);
    }

    private static Status status(String value) {
        if (value == null || value.isBlank()) {
            return Status.OPEN;
        }
        if (value.strip().equalsIgnoreCase("all")) {
            return null;
        }
        try {
            return Status.fromId(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("status", "expected one of "
                    + Arrays.stream(Status.values()).map(Status::id).toList() + " or all");
        }
    }

    private static Double number(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            double d = Double.parseDouble(value.strip());
            if (Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badParameter(name, "not a number");
    }

    private static int limit(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.badParameter("limit", "must be a whole number from 1 to " + MAX_LIMIT);
    }

    private static <T> T page(Supplier<T> query) {
        try {
            return query.get();
        } catch (IllegalArgumentException e) {
            throw ApiException.badParameter("cursor", "not a cursor from a previous page");
        }
    }

    private static String text(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
