package io.onloop.testkit.store;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.store.EventRetention;
import io.onloop.domain.store.Pruned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** How retention makes way for storing; what it deletes is the store contract's (EventStoreContract). */
class EventRetentionTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock LATER = Clock.fixed(T0.plus(Duration.ofDays(100)), ZoneOffset.UTC);

    private final InMemoryEventStore store = new InMemoryEventStore();

    /** Three incidents, resolved long ago. */
    private void oldIncidents() {
        IncidentGrouping grouping = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);
        for (int i = 0; i < 3; i++) {
            for (EventStatus status : new EventStatus[]{EventStatus.FIRING, EventStatus.RESOLVED}) {
                Instant at = T0.plusSeconds(i * 10L + (status == EventStatus.RESOLVED ? 5 : 0));
                Event e = new Event(Ids.newId(at), "t", null, SourceType.ALERTMANAGER, at, at, status, Severity.HIGH, "",
                        "a" + i, "", Resource.of("host", "h" + i), Map.of("alertname", "a" + i), "fp" + i, null, "{}", null);
                store.inTransaction(tx -> grouping.apply(tx, e));
            }
        }
    }

    private EventRetention retention(Supplier<Duration> storingIdleFor, Duration maxYield) {
        return new EventRetention(store, null, Duration.ofDays(90), 1, LATER, storingIdleFor, maxYield);
    }

    @Test
    void eachBatchWaitsUntilStoringHasBeenQuiet() {
        oldIncidents();
        AtomicInteger asked = new AtomicInteger();
        // busy for the first five answers, then quiet for a second
        Pruned pruned = retention(() -> asked.incrementAndGet() <= 5 ? Duration.ZERO : Duration.ofSeconds(1),
                Duration.ofMinutes(1)).prune("t");
        assertThat(pruned).isEqualTo(new Pruned(3, 6, 0));
        assertThat(asked.get()).as("the first batch at once; before the second through the busy answers, then once"
                + " before the third and once before the last, empty call").isEqualTo(5 + 3);
    }

    @Test
    void whatEachBatchDeletedIsToldAsItIsCommitted() {
        oldIncidents();
        java.util.List<Pruned> told = new java.util.ArrayList<>();
        Pruned total = retention(() -> Duration.ofSeconds(1), Duration.ofMinutes(1)).prune("t", told::add);
        assertThat(told).containsExactly(new Pruned(1, 2, 0), new Pruned(1, 2, 0), new Pruned(1, 2, 0));
        assertThat(total).isEqualTo(new Pruned(3, 6, 0));
    }

    @Test
    void episodeEndsAloneAreForgottenWithoutAnAuditLineThatSaysNothingWasDeleted() {
        store.inTransaction(tx -> {
            tx.recordEpisodeEnd("t", "gone", T0);
            return null;
        });
        Pruned pruned = retention(() -> Duration.ofSeconds(1), Duration.ofMinutes(1)).prune("t");
        assertThat(pruned.episodeEnds()).isEqualTo(1);
        assertThat(store.auditLog("t", 100, null).items()).isEmpty();
        oldIncidents();
        retention(() -> Duration.ofSeconds(1), Duration.ofMinutes(1)).prune("t");
        assertThat(store.auditLog("t", 100, null).items()).hasSize(3);
    }

    @Test
    void theAuditLineSaysTheCutoffToTheInstantItWas() {
        oldIncidents();
        Clock midSecond = Clock.fixed(T0.plus(Duration.ofDays(100)).plusMillis(950), ZoneOffset.UTC);
        new EventRetention(store, null, Duration.ofDays(90), 10, midSecond, () -> Duration.ofSeconds(1), Duration.ZERO)
                .prune("t");
        // not 2026-01-11T00:00:00Z: what was made in the 950 ms after that is gone too
        assertThat(store.auditLog("t", 100, null).items()).singleElement()
                .satisfies(a -> assertThat(a.detail()).contains("made before 2026-01-11T00:00:00.950Z (kept for 90 days)"));
    }

    @Test
    @Timeout(10) // "at most": a yield without its bound would wait for ever here
    void aStormThatNeverEndsDelaysEachBatchByAtMostTheLongestYield() {
        oldIncidents();
        long t0 = System.nanoTime();
        Pruned pruned = retention(() -> Duration.ZERO, Duration.ofMillis(100)).prune("t");
        assertThat(pruned).isEqualTo(new Pruned(3, 6, 0));
        // the first batch at once, the two others and the empty call after them each after a full yield
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void anInterruptedPassStopsBeforeItsNextBatchAndKeepsTheInterrupt() {
        oldIncidents();
        Thread.currentThread().interrupt();
        try {
            assertThat(retention(() -> Duration.ZERO, Duration.ofMinutes(1)).prune("t")).isEqualTo(Pruned.NONE);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
        assertThat(retention(() -> Duration.ofSeconds(1), Duration.ofMinutes(1)).prune("t")).isEqualTo(new Pruned(3, 6, 0));
    }
}
