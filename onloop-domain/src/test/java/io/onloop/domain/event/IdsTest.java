package io.onloop.domain.event;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class IdsTest {
    private static final Instant T0 = Instant.parse("2025-03-01T12:00:00.123Z");

    @Test
    void version7WithTheRfcVariantAndTheTimestampInFront() {
        for (int i = 0; i < 1000; i++) {
            UUID id = Ids.newId(T0);
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2); // 0b10: RFC 9562
            assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(T0.toEpochMilli());
            assertThat(id.toString()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        }
    }

    @Test
    void idsAreUniqueWithinOneMillisecond() {
        var seen = new HashSet<UUID>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(Ids.newId(T0))).isTrue();
        }
    }

    @Test
    void idsFromLaterMillisecondsSortAfterEarlierOnes() {
        List<UUID> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        for (int ms = 0; ms < 2000; ms++) {
            UUID id = Ids.newId(T0.plusMillis(ms));
            ids.add(id);
            texts.add(id.toString());
        }
        assertThat(ids).isSorted();        // UUID.compareTo
        assertThat(texts).isSorted();      // as text, as a database orders them
        // also far apart, and at the Unix epoch
        assertThat(Ids.newId(Instant.EPOCH)).isLessThan(Ids.newId(T0));
        assertThat(Ids.newId(T0).toString()).isLessThan(Ids.newId(Instant.parse("2100-01-01T00:00:00Z")).toString());
    }
}
