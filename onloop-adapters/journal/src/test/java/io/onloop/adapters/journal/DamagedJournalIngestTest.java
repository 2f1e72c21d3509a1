package io.onloop.adapters.journal;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.store.EventQuery;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file journal under the ingestor, after damage on the disk: what was accepted before and after is stored, never
 * silently lost (the durability tester's cases: one wrong byte cut a 62 MB segment to 528 bytes, and the store's
 * checkpoint beyond the cut end swallowed every alert accepted afterwards).
 */
class DamagedJournalIngestTest {
    private static final Instant T0 = Instant.parse("2026-11-25T03:00:00Z");

    @TempDir
    Path dir;

    private final InMemoryEventStore store = new InMemoryEventStore();

    private static Event firing(String fingerprint) {
        return new Event(Ids.newId(T0), "t1", null, SourceType.GENERIC, T0, null, EventStatus.FIRING, Severity.HIGH,
                null, "alert " + fingerprint, null, null, null, fingerprint, null, null, null);
    }

    private EventIngestor ingestor(FileEventJournal journal) {
        return new EventIngestor(journal, store, new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE,
                1_000, batch -> { });
    }

    private List<String> stored() {
        return store.findEvents(EventQuery.all("t1", 100)).items().stream().map(Event::fingerprint).sorted().toList();
    }

    @Test
    void aDamagedLastRecordThatWasStoredDoesNotSwallowWhatIsAcceptedAfterTheRestart() throws Exception {
        long afterSecond;
        try (var journal = FileEventJournal.open(dir); var ingestor = ingestor(journal)) {
            ingestor.submit(List.of(firing("a")), true).applied().get(10, TimeUnit.SECONDS);
            ingestor.submit(List.of(firing("b")), true).applied().get(10, TimeUnit.SECONDS);
            afterSecond = journal.end();
        }
        flipLastByteBefore(afterSecond); // "b" is stored; its record in the journal is now unreadable
        try (var journal = FileEventJournal.open(dir); var ingestor = ingestor(journal)) {
            assertThat(journal.end()).as("the store's checkpoint, not the cut end").isEqualTo(afterSecond);
            ingestor.submit(List.of(firing("c")), true).applied().get(10, TimeUnit.SECONDS);
            assertThat(ingestor.backlogBytes()).isZero();
        }
        assertThat(stored()).containsExactly("a", "b", "c");
    }

    @Test
    void damageToAnAcceptedRecordNotYetStoredLosesThatRecordOnlyAndIsKeptAside() throws Exception {
        long afterFirst;
        long afterSecond;
        try (var journal = FileEventJournal.open(dir)) {
            afterFirst = journal.append(List.of(firing("a"))).get(10, TimeUnit.SECONDS);
            afterSecond = journal.append(List.of(firing("b"))).get(10, TimeUnit.SECONDS);
            journal.append(List.of(firing("c"))).get(10, TimeUnit.SECONDS);
        } // accepted, then the process died before storing any of them
        flipLastByteBefore(afterSecond);
        try (var journal = FileEventJournal.open(dir); var ingestor = ingestor(journal)) {
            ingestor.submit(List.of(firing("d")), true).applied().get(10, TimeUnit.SECONDS);
        }
        assertThat(stored()).containsExactly("a", "c", "d");
        assertThat(Files.size(dir.resolve("quarantine").resolve(String.format("%020d.damaged", afterFirst))))
                .isEqualTo(afterSecond - afterFirst);
    }

    private void flipLastByteBefore(long position) throws Exception {
        try (var files = Files.list(dir)) {
            Path segment = files.filter(p -> p.toString().endsWith(".journal")).findFirst().orElseThrow();
            FileEventJournalTest.flip(segment, position - 2); // inside the payload, before its closing bracket
        }
    }
}
