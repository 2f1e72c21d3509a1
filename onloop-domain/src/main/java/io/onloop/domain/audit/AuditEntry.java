package io.onloop.domain.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One line of the append-only audit log: who did what to which thing. Never updated or deleted.
 *
 * @param action     a dotted verb such as {@code incident.acknowledge}, {@code token.create}
 * @param targetType what kind of thing was acted on ({@code incident}, {@code token}, {@code source}, ...)
 * @param detail     a short human-readable description; never contains a secret
 */
public record AuditEntry(UUID id, String tenantId, Instant at, String actor, String action, String targetType,
                         String targetId, String detail) {
    /** The actor of what onloop does by itself at its first start. */
    public static final String ONLOOP_ACTOR = "onloop";

    public AuditEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(action, "action");
        actor = Objects.requireNonNullElse(actor, "");
        targetType = Objects.requireNonNullElse(targetType, "");
        targetId = Objects.requireNonNullElse(targetId, "");
        detail = Objects.requireNonNullElse(detail, "");
    }
}
