package io.onloop.domain.routing;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Port: what each group last said (Alertmanager's notification log). It is written in the same
 * transaction as the notification's outbox rows, and read when a group forms again after a
 * restart, so a still-firing group continues its thread instead of announcing itself again, and a
 * resolve that arrives after the restart is still said.
 */
@FunctionalInterface
public interface GroupLog {

    /**
     * @param firing   the fingerprints the notification announced as firing
     * @param resolved whether it said the whole group resolved (the thread is over)
     */
    record Entry(String tenantId, String groupKey, String threadKey, int sequence, Set<String> firing,
                 Instant sentAt, boolean resolved) {
        public Entry {
            firing = Set.copyOf(firing);
        }
    }

    Optional<Entry> last(String tenantId, String groupKey);

    /**
     * When a group's notification was done with, so that its repeat counts from there, as Alertmanager's counts from
     * its last successful send: empty while it is still on its way to a target (retrying: it will say the same, and a
     * repeat written behind it would follow it out at once); when it reached its last target; {@code writtenAt} when
     * it reached none (given up, or no target) or nothing is known.
     */
    default Optional<Instant> settledAt(String tenantId, String threadKey, int sequence, Instant writtenAt) {
        return Optional.of(writtenAt);
    }

    GroupLog NONE = (tenant, key) -> Optional.empty();
}
