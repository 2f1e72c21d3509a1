package io.onloop.domain.event;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/** Time-ordered UUIDs (RFC 9562 version 7): new rows land at the end of the primary-key index. */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID newId(Instant now) {
        long millis = now.toEpochMilli();
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    /** The smallest id {@link #newId} makes in that millisecond: ids below it were made before {@code at}. */
    public static UUID firstAt(Instant at) {
        return new UUID(at.toEpochMilli() << 16, 0);
    }
}
