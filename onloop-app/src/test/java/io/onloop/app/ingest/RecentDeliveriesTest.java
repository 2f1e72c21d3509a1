package io.onloop.app.ingest;

import io.onloop.testkit.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class RecentDeliveriesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T02:00:00Z"));
    private final RecentDeliveries deliveries = new RecentDeliveries(clock);
    private final UUID source = UUID.randomUUID();
    private final List<UUID> ids = List.of(UUID.randomUUID());
    private final byte[] body = "{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    @Test
    void aDeliveryIsKnownByItsSourceIdAndBodyForFifteenMinutes() {
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-1", body))).isEmpty();
        deliveries.remember(RecentDeliveries.Key.of(source, "m-1", body), ids);
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-1", "{\"a\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .as("the same id with another body").isEmpty();
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-1", body))).contains(ids);
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(UUID.randomUUID(), "m-1", body))).as("another source's").isEmpty();
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-2", body))).isEmpty();

        clock.advance(RecentDeliveries.KEEP);
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-1", body))).contains(ids);
        clock.advance(Duration.ofMillis(1));
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-1", body))).isEmpty();
    }

    @Test
    void theOldestAreForgottenBeyondTheBound() {
        for (int i = 0; i <= RecentDeliveries.MAX; i++) {
            deliveries.remember(RecentDeliveries.Key.of(source, "m-" + i, body), ids);
        }
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-0", body))).isEmpty();
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-1", body))).contains(ids);
        assertThat(deliveries.accepted(RecentDeliveries.Key.of(source, "m-" + RecentDeliveries.MAX, body))).contains(ids);
    }
}
