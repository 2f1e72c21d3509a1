package io.onloop.domain.routing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A person's decision to keep quiet about alerts matching every one of {@link #matchers} between
 * {@link #startsAt} and {@link #endsAt}. Expiring a silence moves its end to now; silences are
 * never deleted, so who silenced what stays visible.
 */
public record Silence(UUID id, String tenantId, List<Matcher> matchers, Instant startsAt, Instant endsAt,
                      String createdBy, String comment, Instant createdAt) {

    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        matchers = List.copyOf(matchers);
        Objects.requireNonNull(startsAt, "startsAt");
        Objects.requireNonNull(endsAt, "endsAt");
        createdBy = Objects.requireNonNullElse(createdBy, "");
        comment = Objects.requireNonNullElse(comment, "");
        Objects.requireNonNull(createdAt, "createdAt");
        if (matchers.isEmpty()) {
            throw new IllegalArgumentException("a silence needs at least one matcher");
        }
        if (!endsAt.isAfter(startsAt)) {
            throw new IllegalArgumentException("endsAt must be after startsAt");
        }
    }

    public enum State { PENDING, ACTIVE, EXPIRED }

    public State state(Instant now) {
        if (now.isBefore(startsAt)) {
            return State.PENDING;
        }
        return now.isBefore(endsAt) ? State.ACTIVE : State.EXPIRED;
    }

    public boolean mutes(Map<String, String> labels, Instant now) {
        return state(now) == State.ACTIVE && matchers.stream().allMatch(m -> m.matches(labels));
    }

    public Silence expired(Instant now) {
        Instant end = now.isBefore(startsAt) ? startsAt.plusNanos(1000) : now;
        return new Silence(id, tenantId, matchers, startsAt, end, createdBy, comment, createdAt);
    }
}
