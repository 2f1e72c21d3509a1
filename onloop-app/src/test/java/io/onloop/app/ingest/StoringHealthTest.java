package io.onloop.app.ingest;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.testkit.ingest.InMemoryEventJournal;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StoringHealthTest {
    private static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");

    private static Event firing(String fingerprint) {
        return firing(Ids.newId(T0), fingerprint);
    }

    private static Event firing(java.util.UUID id, String fingerprint) {
        return new Event(id, "t1", null, SourceType.GENERIC, T0, null, EventStatus.FIRING, Severity.HIGH,
                null, "alert " + fingerprint, null, null, null, fingerprint, null, null, null);
    }

    @Test
    void aJournalThatCannotBeWrittenIsDownAtOnceAndUpAgainOnceAWriteWorks() throws Exception {
        var journal = new InMemoryEventJournal();
        try (var ingestor = new EventIngestor(journal, new InMemoryEventStore(),
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, batch -> { })) {
            var health = new StoringHealth(ingestor);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);

            journal.failAppends(new IOException("No space left on device"));
            assertThat(ingestor.submit(List.of(firing("refused")), false).durable()).isCompletedExceptionally();
            var down = health.health();
            assertThat(down.getStatus()).isEqualTo(Status.DOWN);
            assertThat(down.getDetails().get("accepting")).asString().contains("ingest journal has failed");

            journal.failAppends(null);
            ingestor.submit(List.of(firing("accepted")), true).applied().get(10, TimeUnit.SECONDS);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        }
    }

    @Test
    void aDatabaseThatRefusesEveryAlertWhileTakingOtherWritesIsDownUntilOneIsStored() throws Exception {
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), new InMemoryEventStore(),
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, batch -> { })) {
            var health = new StoringHealth(ingestor);
            Event stored = ingestor.submit(List.of(firing("first")), true).applied().get(10, TimeUnit.SECONDS).getFirst();
            // the database refuses each of these (the id is taken), while the journal checkpoint is written fine
            for (int i = 1; i <= StoringHealth.QUARANTINED_TOO_MANY; i++) {
                var refused = ingestor.submit(List.of(firing(stored.id(), "refused-" + i)), true).applied();
                assertThat(refused).failsWithin(10, TimeUnit.SECONDS);
                assertThat(health.health().getStatus()).as("after %d set aside", i)
                        .isEqualTo(i < StoringHealth.QUARANTINED_TOO_MANY ? Status.UP : Status.DOWN);
            }
            assertThat(health.health().getDetails().get("storing")).asString().contains("the last 10 accepted requests");

            ingestor.submit(List.of(firing("stored-again")), true).applied().get(10, TimeUnit.SECONDS);
            assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            assertThat(ingestor.quarantinedRecords()).isEqualTo(StoringHealth.QUARANTINED_TOO_MANY);
        }
    }
}
