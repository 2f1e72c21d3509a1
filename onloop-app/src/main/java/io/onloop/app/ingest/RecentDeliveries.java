package io.onloop.app.ingest;

import io.onloop.app.security.Secrets;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Recently accepted deliveries, per source, with the event ids each was given. SNS, EventBridge and CloudEvents
 * senders deliver at least once: one that missed the {@code 202} (a timeout, a dropped connection) sends the same
 * delivery again. A delivery is its sender's id for it and its body: the same id with another body is another
 * delivery. Remembered only once the first was durable, so a retry of one that failed, or that arrives while the first
 * is still being written, is stored; kept in memory (a hash, not the body), so a retry after a restart is stored too.
 */
final class RecentDeliveries {
    /** One bound for all sources: 50 s of a storm of 1,000 deliveries a second, 14 MiB of heap (292 bytes each). */
    static final int MAX = 50_000;
    static final Duration KEEP = Duration.ofMinutes(15);

    /** A delivery: its source, and a hash of the sender's id for it and its body. */
    record Key(UUID sourceId, String sha256) {
        static Key of(UUID sourceId, String deliveryId, byte[] body) {
            return new Key(sourceId, Secrets.sha256Hex(deliveryId.getBytes(StandardCharsets.UTF_8), new byte[1], body));
        }
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
    synchronized Optional<List<UUID>> accepted(Key key) {
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

    synchronized void remember(Key key, List<UUID> eventIds) {
        recent.put(key, new Accepted(List.copyOf(eventIds), clock.instant()));
    }
}
