package io.onloop.domain.delivery;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One notification on its way to one target: a row of the durable outbox.
 *
 * @param target      {@code receiver/targetName}: what retries, the circuit breaker and threading are per
 * @param targetType  the adapter's type id
 * @param dedupKey    {@code threadKey#sequence#target}: one decision is written once, whatever retries
 * @param threadKey   shared by all notifications of one group episode: targets update one message/ticket
 * @param payload     the notification, serialized by the writer (read back by the same writer)
 * @param attempts    how many sends were tried
 * @param nextAttempt when the worker may try next (pending) or when the current claim lapses (sending)
 * @param lastError   the last failure, for people; never contains a secret
 * @param targetDigest for a target without a name of its own, {@link io.onloop.domain.routing.Receiver.Target#digest}
 *                    of the one it was written for: its default name is its place in the receiver, which another
 *                    target inserted above takes, and a retry must never go there; null for a named target (its name
 *                    is what it is: changed settings are where it sends now), for a replay (to the target now in
 *                    that place) and for rows written before it was kept
 */
public record Delivery(UUID id, String tenantId, String target, String targetType, String dedupKey,
                       String threadKey, String payload, DeliveryStatus status, int attempts, Instant nextAttempt,
                       String lastError, Instant createdAt, Instant deliveredAt, String targetDigest) {

    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(dedupKey, "dedupKey");
        Objects.requireNonNull(threadKey, "threadKey");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttempt, "nextAttempt");
        lastError = Objects.requireNonNullElse(lastError, "");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
