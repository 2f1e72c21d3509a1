package io.onloop.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.onloop.domain.access.ApiToken;
import io.swagger.v3.oas.annotations.media.Schema;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.User;
import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.Resource;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.TimelineEntry;
import io.onloop.domain.store.Page;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The API's JSON shapes. Kept apart from the domain records so the storage model can change
 * without breaking clients, and so nothing secret (hashes) can leak by accident.
 */
public final class Dtos {
    private Dtos() {
    }

    /** {@code searchedTo}: only on a filtered page cut short at its scan bound ({@link Page#searchedTo()}). */
    public record PageDto<T>(List<T> items, String nextCursor,
                             @Schema(description = "only on a filtered page that reached onloop.search.max-scanned:"
                                     + " how far back it searched; nextCursor searches on")
                             @JsonInclude(JsonInclude.Include.NON_NULL) Instant searchedTo) {
        public static <D, T> PageDto<T> of(Page<D> page, Function<D, T> map) {
            return new PageDto<>(page.items().stream().map(map).toList(), page.nextCursor(), page.searchedTo());
        }
    }

    public record ResourceDto(String kind, String id, String name) {
        static ResourceDto of(Resource r) {
            return new ResourceDto(r.kind(), r.id(), r.name());
        }
    }

    /**
     * {@code rawPayload} only in the single-event view; lists leave it out. {@code repeats}: unchanged
     * repeats of this firing alert that arrived after it, counted here instead of listed; the latest
     * arrived at {@code lastSeenAt}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventDto(UUID id, String source, UUID sourceId, Instant receivedAt, Instant occurredAt,
                           String status, String severity, String sourceSeverity, String title, String summary,
                           ResourceDto resource, Map<String, String> labels, String fingerprint, String link,
                           UUID incidentId, int repeats, Instant lastSeenAt, String rawPayload) {
        static EventDto of(Event e, boolean withPayload) {
            return new EventDto(e.id(), e.source().id(), e.sourceId(), e.receivedAt(), e.occurredAt(),
                    e.status().id(), e.severity().id(), e.sourceSeverity(), e.title(), e.summary(),
                    ResourceDto.of(e.resource()), e.labels(), e.fingerprint(), e.link(), e.incidentId(),
                    e.repeats(), e.lastSeenAt(), withPayload ? e.rawPayload() : null);
        }

        static EventDto summary(Event e) {
            return of(e, false);
        }
    }

    public record IncidentDto(UUID id, String title, String status, String severity, String source,
                              ResourceDto resource, Map<String, String> labels, String groupKey, Instant openedAt,
                              Instant lastEventAt, Instant acknowledgedAt, String acknowledgedBy, Instant resolvedAt,
                              String resolvedBy, int eventCount, int alertCount, int firingCount) {
        static IncidentDto of(Incident i) {
            return new IncidentDto(i.id(), i.title(), i.status().id(), i.severity().id(),
                    i.source() == null ? null : i.source().id(), ResourceDto.of(i.resource()), i.labels(),
                    i.groupKey(), i.openedAt(), i.lastEventAt(), i.acknowledgedAt(), i.acknowledgedBy(),
                    i.resolvedAt(), i.resolvedBy(), i.eventCount(), i.alertCount(), i.firingCount());
        }
    }

    public record TimelineDto(UUID id, Instant at, String kind, String actor, String text, UUID eventId) {
        static TimelineDto of(TimelineEntry t) {
            return new TimelineDto(t.id(), t.at(), t.kind().name().toLowerCase(Locale.ROOT), t.actor(), t.text(),
                    t.eventId());
        }
    }

    /** One incident with its whole timeline and its latest events. */
    public record IncidentDetailDto(IncidentDto incident, List<TimelineDto> timeline, List<EventDto> events) {
    }

    public record AuditDto(UUID id, Instant at, String actor, String action, String targetType, String targetId,
                           String detail) {
        static AuditDto of(AuditEntry a) {
            return new AuditDto(a.id(), a.at(), a.actor(), a.action(), a.targetType(), a.targetId(), a.detail());
        }
    }

    public record SourceDto(UUID id, String format, String name, boolean verifySignatures, List<String> topicArns,
                            Instant createdAt, String ingestUrl) {
        static SourceDto of(IngestSource s, String baseUrl) {
            return new SourceDto(s.id(), s.format().id(), s.name(), s.verifySignatures(), s.topicArns(), s.createdAt(),
                    baseUrl + "/api/v1/ingest/" + s.format().id());
        }
    }

    /** The answer to creating a source: the only time its token is ever shown. */
    public record SourceCreatedDto(SourceDto source, String token) {
    }

    public record TokenDto(UUID id, String name, String role, Instant createdAt, Instant expiresAt, boolean revoked) {
        static TokenDto of(ApiToken t) {
            return new TokenDto(t.id(), t.name(), t.role().id(), t.createdAt(), t.expiresAt(), t.revoked());
        }
    }

    /** The answer to creating an API token: the only time the token is ever shown. */
    public record TokenCreatedDto(TokenDto apiToken, String token) {
    }

    public record UserDto(UUID id, String username, String role, boolean disabled, Instant createdAt) {
        static UserDto of(User u) {
            return new UserDto(u.id(), u.username(), u.role().id(), u.disabled(), u.createdAt());
        }
    }

    public record MeDto(String tenantId, String name, String role, String kind) {
    }

    // Request bodies. Fields are checked by the controllers, which name the offending field.

    public record NoteRequest(String note) {
    }

    public record CommentRequest(String text) {
    }

    public record SourceRequest(String format, String name, Boolean verifySignatures, List<String> topicArns) {
    }

    /** Changes what a source takes; for now that is the SNS topics ({@code topicArns}, empty: any topic). */
    public record SourcePatch(List<String> topicArns) {
    }

    public record TokenRequest(String name, String role, Instant expiresAt) {
    }

    public record UserRequest(String username, String password, String role) {
    }
}
