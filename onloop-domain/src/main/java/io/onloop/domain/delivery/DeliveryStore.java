package io.onloop.domain.delivery;

import io.onloop.domain.store.Page;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Port: the durable outbox and what targets remember about a thread (the Slack message, the
 * ticket). Writes are atomic per call; a claim is a lease, so a worker that dies mid-send leaves the
 * delivery to be tried again when the lease lapses.
 */
public interface DeliveryStore {

    /**
     * Writes the deliveries of one decision in one transaction. A delivery whose dedup key is already
     * stored is skipped, so writing the same decision twice sends it once.
     *
     * @return how many were new
     */
    int enqueue(List<Delivery> deliveries);

    /**
     * Writes one notification's deliveries and its group's {@link GroupLog} entry in one transaction:
     * the decision and what it sends are committed together or not at all.
     */
    int enqueue(List<Delivery> deliveries, io.onloop.domain.routing.GroupLog.Entry groupState);

    /**
     * Claims up to {@code limit} pending deliveries due at {@code now}, oldest first, leasing each
     * until {@code leaseUntil}. Within one thread key only the oldest undelivered one is claimable, so
     * updates never overtake the message they update.
     */
    List<Delivery> claimDue(Instant now, Instant leaseUntil, int limit);

    void markDelivered(UUID id, Instant at);

    /** Counts the attempt and sets when to try again. */
    void markRetry(UUID id, Instant nextAttempt, String error);

    void markDead(UUID id, String error);

    /** Moves the next attempt without counting one (the target's circuit is open: nothing was tried). */
    void postpone(UUID id, Instant nextAttempt);

    /**
     * Puts a dead delivery back in the queue, due now. Returns false if it is not dead (or not the tenant's), or if it
     * is not the latest notification of its thread to its target: only the latest carries the group's state, and an
     * older one sent now would show the group as it was (a PagerDuty trigger after its resolve pages again for a
     * resolved group), whether the later one was delivered, is on its way, or is dead too (replay that one). An
     * acknowledgement's row ({@code <thread>#ack-...}) is not a later notification: it only marks the thread.
     */
    boolean replay(String tenantId, UUID id, Instant now);

    Optional<Delivery> findDelivery(String tenantId, UUID id);

    /** Newest first. */
    default List<Delivery> deliveries(String tenantId, DeliveryStatus status, int limit) {
        return deliveries(tenantId, status, limit, null).items();
    }

    /**
     * A page of the tenant's deliveries, newest first.
     *
     * @param status  null: every status
     * @param cursor  the previous page's {@link Page#nextCursor()}, or null for the first
     * @throws IllegalArgumentException for a cursor that is not one
     */
    Page<Delivery> deliveries(String tenantId, DeliveryStatus status, int limit, String cursor);

    /**
     * The tenant's deliveries created at or after {@code since} whose payload contains {@code text}
     * (an incident id), oldest first: a coarse search, the caller reads the payloads to be sure.
     */
    List<Delivery> mentioning(String tenantId, String text, Instant since);

    /** What the target recorded for a thread: a Slack ts, a ticket id, an issue key. */
    Optional<String> threadRef(String tenantId, String target, String threadKey);

    void saveThreadRef(String tenantId, String target, String threadKey, String ref);

    /**
     * Retention: deletes up to {@code limit} of the tenant's finished deliveries (delivered or dead) created before
     * {@code cutoff}, oldest first; a pending one stays whatever its age, and so does a dead one replayed meanwhile.
     * Thread refs stay: an incident open that long still threads its updates. Returns how many were deleted.
     */
    int pruneFinished(String tenantId, Instant cutoff, int limit);
}
