package io.onloop.app.ingest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The delivery ids of recently accepted requests, per source, with the event ids each was given. SNS, EventBridge
 * and CloudEvents senders deliver at least once: one that missed the {@code 202} (a timeout, a dropped connection)
 * sends the same delivery again, within minutes. Remembered only once the first was durable, so a retry of one
 * that failed is taken; kept in memory, so a retry after a restart is stored again (as a repeat).
 */
final class RecentDeliveries {
    static final int MAX = 10_000;
    static final Duration KEEP = Duration.ofMinutes(15);

    private record Key(UUID sourceId, String deliveryId) {
    }

    private record Accepted(List<UUID> eventIds, Instant at) {
    }

    private final Clock clock;
    private final Map<Key, Accepted> recent = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Accepted> eldest) {
            return size() > MAX;
        }
    };

    RecentDeliveries(Clock clock) {
        this.clock = clock;
    }

    /** The event ids this delivery was given, if it was accepted within {@link #KEEP}. */
    synchronized Optional<List<UUID>> accepted(UUID sourceId, String deliveryId) {
        Key key = new Key(sourceId, deliveryId);
        Accepted a = recent.get(key);
        if (a == null) {
            return Optional.empty();
        }
        if (a.at().plus(KEEP).isBefore(clock.instant())) {
            recent.remove(key);
            return Optional.empty();
        }
        return Optional.of(a.eventIds());
    }

    synchronized void remember(UUID sourceId, String deliveryId, List<UUID> eventIds) {
        recent.put(new Key(sourceId, deliveryId), new Accepted(List.copyOf(eventIds), clock.instant()));
    }
}
