package io.onloop.domain.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * Which entries of a tenant's audit log to list; every filter is optional and they all apply.
 *
 * @param actor      who acted, exactly (a user name, {@code token:<name>}, {@code onloop}, ...)
 * @param action     an action ({@code token.revoke}), or every action under a prefix with a final {@code *}
 *                   ({@code recommendation.*}); matched without regard to case
 * @param targetType what kind of thing was acted on ({@code incident}, {@code recommendation}, ...)
 * @param targetId   the thing acted on, exactly (an incident's id, a source's id, ...)
 * @param from       at or after (inclusive)
 * @param to         before (exclusive)
 */
public record AuditQuery(String tenantId, String actor, String action, String targetType, String targetId,
                         Instant from, Instant to) {
    public AuditQuery {
        Objects.requireNonNull(tenantId, "tenantId");
        actor = stripped(actor);
        action = stripped(action) == null ? null : action.strip().toLowerCase(Locale.ROOT);
        targetType = stripped(targetType) == null ? null : targetType.strip().toLowerCase(Locale.ROOT);
        targetId = stripped(targetId);
    }

    public static AuditQuery all(String tenantId) {
        return new AuditQuery(tenantId, null, null, null, null, null, null);
    }

    /** The action's prefix when it ends with {@code *} (every action under it), else null. */
    public String actionPrefix() {
        return action != null && action.endsWith("*") ? action.substring(0, action.length() - 1) : null;
    }

    /** Whether this entry is one the query asks for (for stores that filter in memory). */
    public boolean matches(AuditEntry e) {
        String entryAction = e.action().toLowerCase(Locale.ROOT);
        return e.tenantId().equals(tenantId)
                && (actor == null || actor.equals(e.actor()))
                && (action == null || (actionPrefix() != null ? entryAction.startsWith(actionPrefix()) : action.equals(entryAction)))
                && (targetType == null || targetType.equalsIgnoreCase(e.targetType()))
                && (targetId == null || targetId.equals(e.targetId()))
                && (from == null || !e.at().isBefore(from))
                && (to == null || e.at().isBefore(to));
    }

    /** A filter as typed: blank is none, spaces around it are not part of it. */
    private static String stripped(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
