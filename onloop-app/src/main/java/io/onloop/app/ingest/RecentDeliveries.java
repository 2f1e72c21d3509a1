package io.onloop.app.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
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
    /** One bound for all sources: ~250 bytes each, so about 12 MiB, and 50 s of a storm of 1,000 deliveries a second. */
    static final int MAX = 50_000;
    static final Duration KEEP = Duration.ofMinutes(15);

    private record Key(UUID sourceId, byte[] sha256) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.sourceId.equals(sourceId) && Arrays.equals(k.sha256, sha256);
        }

        @Override
        public int hashCode() {
            return sourceId.hashCode() * 31 + Arrays.hashCode(sha256);
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
    synchronized Optional<List<UUID>> accepted(UUID sourceId, String deliveryId, byte[] body) {
        Key key = key(sourceId, deliveryId, body);
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

    synchronized void remember(UUID sourceId, String deliveryId, byte[] body, List<UUID> eventIds) {
        recent.put(key(sourceId, deliveryId, body), new Accepted(List.copyOf(eventIds), clock.instant()));
    }

    private static Key key(UUID sourceId, String deliveryId, byte[] body) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(deliveryId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return new Key(sourceId, sha.digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
