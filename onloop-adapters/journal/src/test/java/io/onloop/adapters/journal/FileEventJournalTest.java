package io.onloop.adapters.journal;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventJournal.Record;
import io.onloop.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FileEventJournalTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00.123456Z");

    @TempDir
    Path dir;

    private static Event event(String fingerprint, String rawPayload) {
        return new Event(Ids.newId(T0), "tenant-a", UUID.randomUUID(), SourceType.ALERTMANAGER, T0, T0.minusSeconds(5),
                EventStatus.FIRING, Severity.CRITICAL, "critical", "Disk full on \"db-1\" ✓", "summary\nline 2",
                new Resource("host", "db-1", "db-1"), Map.of("alertname", "DiskFull", "team", "ops"), fingerprint,
                "https://example.com/x", rawPayload, null);
    }

    private static Event event(String fingerprint) {
        return event(fingerprint, "{\"raw\":true}");
    }

    private static List<Event> all(List<Record> records) {
        return records.stream().flatMap(r -> r.events().stream()).toList();
    }

    @Test
    void aSecondJournalOnTheSameDirectoryIsRefusedUntilTheFirstIsClosed() throws Exception {
        // Both in this JVM, so the lock is refused as overlapping (OverlappingFileLockException); another process would
        // be refused by tryLock answering null. Both lead to the same refusal, but only the first is exercised here.
        try (var first = FileEventJournal.open(dir)) {
            first.append(List.of(event("a"))).get(10, TimeUnit.SECONDS);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> FileEventJournal.open(dir))
                    .hasRootCauseMessage("another onloop is using the ingest journal in " + dir
                            + " (one data directory serves one onloop; give each its own onloop.data-dir)");
            first.append(List.of(event("b"))).get(10, TimeUnit.SECONDS); // the refused one changed nothing
        }
        try (var reopened = FileEventJournal.open(dir)) {
            assertThat(all(reopened.read(0, 10))).extracting(Event::fingerprint).containsExactly("a", "b");
        }
    }

    @Test
    void appendedEventsReadBackEqualAfterRestartWithTheSameId() throws Exception {
        List<Event> first = List.of(event("a"), event("b"));
        List<Event> second = List.of(event("c"));
        String id;
        long end;
        try (var journal = FileEventJournal.open(dir)) {
            id = journal.id();
            long afterFirst = journal.append(first).get(10, TimeUnit.SECONDS);
            end = journal.append(second).get(10, TimeUnit.SECONDS);
            assertThat(afterFirst).isPositive().isLessThan(end);
            assertThat(journal.end()).isEqualTo(end);
            List<Record> records = journal.read(0, 100);
            assertThat(records).hasSize(2);
            assertThat(records.get(0).next()).isEqualTo(afterFirst);
            assertThat(records.get(1).position()).isEqualTo(afterFirst);
            assertThat(all(records)).containsExactlyElementsOf(Stream.concat(first.stream(), second.stream()).toList());
        }
        try (var reopened = FileEventJournal.open(dir)) {
            assertThat(reopened.id()).isEqualTo(id);
            assertThat(reopened.end()).isEqualTo(end);
            assertThat(all(reopened.read(0, 100))).extracting(Event::fingerprint).containsExactly("a", "b", "c");
            long later = reopened.append(List.of(event("d"))).get(10, TimeUnit.SECONDS);
            assertThat(all(reopened.read(end, 100))).extracting(Event::fingerprint).containsExactly("d");
            assertThat(later).isGreaterThan(end);
        }
    }

    @Test
    void aReadStopsAtMaxEventsButAlwaysReturnsAWholeRecord() throws Exception {
        try (var journal = FileEventJournal.open(dir)) {
            journal.append(List.of(event("1"), event("2"), event("3"))).get(10, TimeUnit.SECONDS);
            journal.append(List.of(event("4"))).get(10, TimeUnit.SECONDS);
            assertThat(journal.read(0, 1)).singleElement().satisfies(r -> assertThat(r.events()).hasSize(3));
            assertThat(all(journal.read(0, 4))).hasSize(4);
            assertThat(journal.read(journal.end(), 10)).isEmpty();
        }
    }

    @Test
    void aTornRecordAtTheEndIsCutOffOnOpenAndTheJournalGoesOn() throws Exception {
        long intact = appendedAndClosed("kept");
        Path segment = onlySegment();
        // a crash in the middle of the next write: a header promising more bytes than follow, in a segment
        // without zeros ahead (as an older version wrote them)
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            c.truncate(intact);
            c.write(tornRecord());
        }
        try (var journal = FileEventJournal.open(dir)) {
            assertThat(journal.end()).isEqualTo(intact);
            assertThat(Files.size(segment)).isEqualTo(intact);
            journal.append(List.of(event("next"))).get(10, TimeUnit.SECONDS);
            assertThat(all(journal.read(0, 10))).extracting(Event::fingerprint).containsExactly("kept", "next");
        }
    }

    @Test
    void zerosAreWrittenAheadOfTheRecordsAndReadAsTheEnd() throws Exception {
        long end;
        try (var journal = FileEventJournal.open(dir)) {
            long first = journal.append(List.of(event("a"))).get(10, TimeUnit.SECONDS);
            assertThat(Files.size(onlySegment())).isEqualTo(first + FileEventJournal.PREALLOCATE);
            end = journal.append(List.of(event("b"))).get(10, TimeUnit.SECONDS);
            assertThat(Files.size(onlySegment())).as("topped up only when half is used")
                    .isEqualTo(first + FileEventJournal.PREALLOCATE);
            end = journal.append(List.of(event("big", "x".repeat(FileEventJournal.PREALLOCATE / 2))))
                    .get(10, TimeUnit.SECONDS);
            assertThat(Files.size(onlySegment())).as("past half: topped up again").isEqualTo(end + FileEventJournal.PREALLOCATE);
        }
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir)) {
            assertThat(log.records()).as("zeros ahead are not a torn record").isEmpty();
            assertThat(journal.end()).isEqualTo(end);
            long next = journal.append(List.of(event("c"))).get(10, TimeUnit.SECONDS);
            assertThat(all(journal.read(0, 10))).extracting(Event::fingerprint).containsExactly("a", "b", "big", "c");
            assertThat(next).isGreaterThan(end);
        }
    }

    @Test
    void aTornRecordInsideTheZerosAheadIsCutOff() throws Exception {
        long intact = appendedAndClosed("kept");
        Path segment = onlySegment();
        // a crash in the middle of the next write lands where the zeros were: its first page only
        try (FileChannel c = FileChannel.open(segment, StandardOpenOption.WRITE)) {
            c.write(tornRecord(), intact);
        }
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir)) {
            assertThat(log.records()).extracting(LogRecord::getMessage).singleElement().asString().contains("cutting an unreadable record");
            assertThat(journal.end()).isEqualTo(intact);
            journal.append(List.of(event("next"))).get(10, TimeUnit.SECONDS);
            assertThat(all(journal.read(0, 10))).extracting(Event::fingerprint).containsExactly("kept", "next");
        }
        try (var journal = FileEventJournal.open(dir)) {
            assertThat(all(journal.read(0, 10))).extracting(Event::fingerprint).containsExactly("kept", "next");
        }
    }

    @Test
    void aDamagedLastRecordIsCutOffButItsBytesAreKept() throws Exception {
        long afterFirst;
        long afterSecond;
        try (var journal = FileEventJournal.open(dir)) {
            afterFirst = journal.append(List.of(event("good"))).get(10, TimeUnit.SECONDS);
            afterSecond = journal.append(List.of(event("flipped"))).get(10, TimeUnit.SECONDS);
        }
        Path segment = onlySegment();
        byte[] before = bytes(segment, afterFirst, afterSecond);
        flip(segment, afterFirst + 8 + 20); // a byte inside the second record's payload
        try (var journal = FileEventJournal.open(dir)) {
            // nothing tells it from a write a crash cut short: it cannot be read, but it is not dropped unseen
            assertThat(journal.end()).isEqualTo(afterFirst);
            assertThat(all(journal.read(0, 10))).extracting(Event::fingerprint).containsExactly("good");
            byte[] kept = Files.readAllBytes(dir.resolve("quarantine").resolve(String.format("%020d.unreadable", afterFirst)));
            assertThat(kept).hasSameSizeAs(before).isNotEqualTo(before);
            flipByte(kept, 8 + 20);
            assertThat(kept).isEqualTo(before);
            // the next record takes that place, and is damaged in turn: the bytes kept first are not written over
            assertThat(journal.append(List.of(event("again"))).get(10, TimeUnit.SECONDS)).isGreaterThan(afterFirst);
        }
        flip(segment, afterFirst + 8 + 20);
        try (var journal = FileEventJournal.open(dir)) {
            assertThat(journal.end()).isEqualTo(afterFirst);
        }
        Path quarantine = dir.resolve("quarantine");
        assertThat(quarantine.resolve(String.format("%020d.unreadable", afterFirst))).exists();
        assertThat(quarantine.resolve(String.format("%020d.unreadable.1", afterFirst))).exists();
        try (var files = Files.list(quarantine)) {
            assertThat(files).hasSize(2); // and no temporary file left
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(30) // without its cheap checks the scan made this test take 82 s, against 1 s
    void aMebibyteOfGarbageIsSkippedQuicklyAndOnceEvenWhenReadAgain() throws Exception {
        List<Long> ends = new ArrayList<>();
        try (var journal = FileEventJournal.open(dir)) {
            for (int i = 0; i < 400; i++) {
                List<Event> ten = java.util.stream.IntStream.range(0, 10).mapToObj(j -> event("e" + j)).toList();
                ends.add(journal.append(ten).get(10, TimeUnit.SECONDS));
            }
        }
        // 1 MiB of random bytes over the records from the 50th on: in garbage, 1 position in 64 reads as a length
        // under 64 MiB, and each such length was read and checksummed
        long from = ends.get(50) + 3;
        byte[] garbage = new byte[1 << 20];
        new java.util.Random(42).nextBytes(garbage);
        try (FileChannel c = FileChannel.open(onlySegment(), StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.wrap(garbage), from);
            c.write(ByteBuffer.allocate(1), (64L << 20) - 1); // zeros up to a full segment's size (sparse), as lengths go
        }
        long firstIntactAfter = ends.stream().filter(e -> e >= from + garbage.length).findFirst().orElseThrow();
        int intactRecords = (int) ends.stream().filter(e -> e > firstIntactAfter).count() + 51;
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir)) {
            assertThat(journal.end()).isEqualTo(ends.getLast());
            List<Record> records = journal.read(0, 10_000);
            assertThat(records).filteredOn(r -> r.events().isEmpty()).singleElement()
                    .extracting(Record::position, Record::next).containsExactly(ends.get(50), firstIntactAfter);
            assertThat(all(records)).hasSize(10 * intactRecords);
            // read again, as the applier does while the store is down: no second copy, no second line
            assertThat(all(journal.read(0, 10_000))).hasSize(10 * intactRecords);
            assertThat(log.records()).filteredOn(r -> r.getLevel() == java.util.logging.Level.SEVERE).hasSize(1);
            try (var files = Files.list(dir.resolve("quarantine"))) {
                assertThat(files).singleElement().satisfies(f -> assertThat(Files.size(f))
                        .isEqualTo(firstIntactAfter - ends.get(50)));
            }
        }
    }

    @Test
    void damageInsideTheLastSegmentLosesOnlyTheDamagedRecordNotTheAcknowledgedOnesAfterIt() throws Exception {
        long afterFirst;
        long afterSecond;
        long end;
        try (var journal = FileEventJournal.open(dir)) {
            afterFirst = journal.append(List.of(event("good"))).get(10, TimeUnit.SECONDS);
            afterSecond = journal.append(List.of(event("flipped"))).get(10, TimeUnit.SECONDS);
            journal.append(List.of(event("after-1"))).get(10, TimeUnit.SECONDS);
            end = journal.append(List.of(event("after-2"))).get(10, TimeUnit.SECONDS);
        }
        Path segment = onlySegment();
        byte[] damagedBytes = bytes(segment, afterFirst, afterSecond);
        flip(segment, afterFirst + 8 + 20);
        flipByte(damagedBytes, 8 + 20);
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir)) {
            assertThat(journal.end()).as("not cut at the damage").isEqualTo(end);
            assertThat(log.records()).extracting(LogRecord::getMessage).singleElement().asString()
                    .contains("bytes " + afterFirst + " to " + afterSecond + " are damaged");
            List<Record> records = journal.read(0, 10);
            assertThat(records).extracting(r -> r.events().size()).containsExactly(1, 0, 1, 1);
            assertThat(records.get(1)).extracting(Record::position, Record::next).containsExactly(afterFirst, afterSecond);
            assertThat(all(records)).extracting(Event::fingerprint).containsExactly("good", "after-1", "after-2");
            assertThat(dir.resolve("quarantine").resolve(String.format("%020d.damaged", afterFirst)))
                    .hasBinaryContent(damagedBytes);
            long next = journal.append(List.of(event("new"))).get(10, TimeUnit.SECONDS);
            assertThat(next).isGreaterThan(end);
            assertThat(all(journal.read(end, 10))).extracting(Event::fingerprint).containsExactly("new");
        }
    }

    /** Records e0 to e19 in segments of 2,000 bytes (several each), closed; the end of each record. */
    private List<Long> twentyRecordsInSmallSegments() throws Exception {
        List<Long> ends = new ArrayList<>();
        try (var journal = FileEventJournal.open(dir, 2_000)) {
            for (int i = 0; i < 20; i++) {
                ends.add(journal.append(List.of(event("e" + i))).get(10, TimeUnit.SECONDS));
            }
        }
        return ends;
    }

    @Test
    void aDamagedLengthInAFinishedSegmentIsSkippedToTheNextIntactRecordNotAllocatedOrFailedOn() throws Exception {
        List<Long> ends = twentyRecordsInSmallSegments();
        Path first = segments().getFirst();
        assertThat(base(segments().get(1))).as("the first segment holds several records").isGreaterThan(ends.get(2));
        // e1's length becomes 2 GiB - 1: read as a length it would be an allocation no heap has
        try (FileChannel c = FileChannel.open(first, StandardOpenOption.WRITE)) {
            c.write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).flip(), ends.get(0));
        }
        // and e2's payload a wrong byte: it would be stored as it now reads, had the checksum not been checked
        flip(first, ends.get(1) + 8 + 30);
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir, 2_000)) {
            List<Record> records = journal.read(0, 100);
            assertThat(all(records)).extracting(Event::fingerprint)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).filter(i -> i != 1 && i != 2)
                            .mapToObj(i -> "e" + i).toList());
            assertThat(records.get(1)).satisfies(r -> {
                assertThat(r.position()).isEqualTo(ends.get(0));
                assertThat(r.next()).as("one stretch up to the next intact record").isEqualTo(ends.get(2));
                assertThat(r.events()).isEmpty();
            });
            assertThat(log.records()).extracting(LogRecord::getMessage).anySatisfy(m -> assertThat(m)
                    .contains("journal bytes " + ends.get(0) + " to " + ends.get(2) + " are damaged"));
            assertThat(Files.size(dir.resolve("quarantine").resolve(String.format("%020d.damaged", ends.get(0)))))
                    .isEqualTo(ends.get(2) - ends.get(0));
        }
    }

    @Test
    void aSegmentCutShortIsSkippedToTheNextSegment() throws Exception {
        List<Long> ends = twentyRecordsInSmallSegments();
        Path first = segments().getFirst();
        long second = base(segments().get(1));
        try (FileChannel c = FileChannel.open(first, StandardOpenOption.WRITE)) {
            c.truncate(ends.get(0) + 3); // a file system that lost the rest of it
        }
        try (var journal = FileEventJournal.open(dir, 2_000)) {
            List<Record> records = journal.read(0, 100);
            assertThat(records.get(1)).extracting(Record::position, Record::next).containsExactly(ends.get(0), second);
            assertThat(all(records).getFirst().fingerprint()).isEqualTo("e0");
            assertThat(all(records)).hasSize(20 - (int) ends.stream().filter(e -> e <= second).count() + 1);
        }
    }

    @Test
    void aSegmentFileThatIsGoneIsSkippedNotFailedOnForEver() throws Exception {
        List<Long> ends = twentyRecordsInSmallSegments();
        long second = base(segments().get(1));
        Files.delete(segments().getFirst()); // not released: nothing of it was applied
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir, 2_000)) {
            List<Record> records = journal.read(0, 100);
            assertThat(records.getFirst()).extracting(Record::position, Record::next, r -> r.events().size())
                    .containsExactly(0L, second, 0);
            assertThat(all(records)).extracting(Event::fingerprint).first().isEqualTo(
                    "e" + ends.indexOf(ends.stream().filter(e -> e > second).findFirst().orElseThrow()));
            assertThat(all(journal.read(0, 100))).hasSize(all(records).size());
            assertThat(log.records()).extracting(LogRecord::getMessage).singleElement().asString()
                    .contains("journal bytes 0 to " + second + " are missing");
        }
    }

    @Test
    void skippingAheadStartsAnEmptySegmentThereThatARestartKeeps() throws Exception {
        long end = appendedAndClosed("old");
        long ahead = end + 5_000;
        try (var journal = FileEventJournal.open(dir)) {
            journal.skipTo(end - 1); // behind the end: nothing to do
            assertThat(journal.end()).isEqualTo(end);
            journal.skipTo(ahead);
            assertThat(journal.end()).isEqualTo(ahead);
            long next = journal.append(List.of(event("new"))).get(10, TimeUnit.SECONDS);
            assertThat(all(journal.read(ahead, 10))).extracting(Event::fingerprint).containsExactly("new");
            assertThat(next).isGreaterThan(ahead);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> journal.skipTo(next + 100))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThat(segments()).extracting(FileEventJournalTest::base).containsExactly(0L, ahead);
        try (var journal = FileEventJournal.open(dir)) {
            assertThat(all(journal.read(0, 1))).extracting(Event::fingerprint).containsExactly("old");
            assertThat(all(journal.read(ahead, 10))).extracting(Event::fingerprint).containsExactly("new");
            journal.release(ahead);
            assertThat(segments()).extracting(FileEventJournalTest::base).containsExactly(ahead);
        }
    }

    @Test
    void segmentsRollAndAppliedOnesAreDeleted() throws Exception {
        long endBeforeRestart;
        try (var journal = FileEventJournal.open(dir, 2_000)) {
            List<Long> ends = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                ends.add(journal.append(List.of(event("e" + i))).get(10, TimeUnit.SECONDS));
            }
            assertThat(segments()).hasSizeGreaterThan(3);
            List<Path> all = segments();
            for (int i = 0; i + 1 < all.size(); i++) {
                assertThat(Files.size(all.get(i))).as("a finished segment ends with its last record, no zeros after it")
                        .isEqualTo(base(all.get(i + 1)) - base(all.get(i)));
            }
            assertThat(all(journal.read(0, 100))).hasSize(30);
            // reads cross segment boundaries from any record position
            assertThat(all(journal.read(ends.get(9), 100))).extracting(Event::fingerprint).first().isEqualTo("e10");

            journal.release(ends.get(19));
            assertThat(all(journal.read(ends.get(19), 100))).extracting(Event::fingerprint)
                    .containsExactlyElementsOf(List.of("e20", "e21", "e22", "e23", "e24", "e25", "e26", "e27", "e28", "e29"));
            int left = segments().size();
            assertThat(left).isLessThan(ends.size());
            journal.release(journal.end());
            assertThat(segments()).as("the active segment always stays").isNotEmpty().hasSizeLessThanOrEqualTo(left);
            endBeforeRestart = journal.end();
        }
        try (var reopened = FileEventJournal.open(dir, 2_000)) {
            assertThat(reopened.end()).as("positions survive deleting old segments").isEqualTo(endBeforeRestart);
            long next = reopened.append(List.of(event("after"))).get(10, TimeUnit.SECONDS);
            assertThat(next).isGreaterThan(endBeforeRestart);
            assertThat(all(reopened.read(endBeforeRestart, 10))).extracting(Event::fingerprint).containsExactly("after");
        }
    }

    @Test
    void concurrentAppendsShareFsyncsAndAllReadBackOnce() throws Exception {
        int threads = 8;
        int perThread = 200;
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        try (var journal = FileEventJournal.open(dir); ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<java.util.concurrent.Future<List<CompletableFuture<Long>>>> submitted = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Long>> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(journal.append(List.of(event(thread + "-" + i))));
                    }
                    return mine;
                }));
            }
            for (var s : submitted) {
                futures.addAll(s.get(30, TimeUnit.SECONDS));
            }
            for (var f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
            assertThat(futures.stream().map(CompletableFuture::join).distinct()).hasSize(threads * perThread);
            List<Event> read = all(journal.read(0, Integer.MAX_VALUE));
            assertThat(read).hasSize(threads * perThread);
            assertThat(read.stream().map(Event::fingerprint).distinct()).hasSize(threads * perThread);
        }
    }

    @Test
    void awaitBeyondWakesOnAppendAndTimesOutOtherwise() throws Exception {
        try (var journal = FileEventJournal.open(dir)) {
            long start = System.nanoTime();
            journal.awaitBeyond(journal.end(), Duration.ofMillis(100));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(90));
            var appender = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                journal.append(List.of(event("wake")));
            });
            journal.awaitBeyond(0, Duration.ofSeconds(10));
            assertThat(journal.end()).isPositive();
            appender.join();
        }
    }

    @Test
    void quarantinedRecordsAreKeptAsJsonWithTheReason() throws Exception {
        try (var journal = FileEventJournal.open(dir)) {
            journal.append(List.of(event("poison"))).get(10, TimeUnit.SECONDS);
            Record r = journal.read(0, 1).getFirst();
            journal.quarantine(r, "java.lang.IllegalStateException");
            Path file = dir.resolve("quarantine").resolve(String.format("%020d.json", r.position()));
            assertThat(Files.readString(file)).contains("\"reason\":\"java.lang.IllegalStateException\"")
                    .contains("\"fingerprint\":\"poison\"");
        }
    }

    @Test
    void aWholeRecordThatNoLongerDecodesIsSetAsideAndReadAsNoEvents() throws Exception {
        long afterFirst = appendedAndClosed("before");
        // a record with a good checksum whose payload is not this version's events (say, a future format)
        byte[] payload = "{\"format\":2}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(payload);
        try (FileChannel c = FileChannel.open(onlySegment(), StandardOpenOption.WRITE)) { // where the next record goes
            c.write(ByteBuffer.allocate(8 + payload.length).putInt(payload.length).putInt((int) crc.getValue())
                    .put(payload).flip(), afterFirst);
        }
        try (var log = LogCapture.of(FileEventJournal.class); var journal = FileEventJournal.open(dir)) {
            long after = journal.append(List.of(event("after"))).get(10, TimeUnit.SECONDS);
            List<Record> records = journal.read(0, 10);
            assertThat(journal.read(0, 10)).as("read again while the store is down").isEqualTo(records);
            assertThat(log.records()).extracting(LogRecord::getMessage).singleElement().asString().contains("does not decode");
            assertThat(records).extracting(r -> r.events().size()).containsExactly(1, 0, 1);
            assertThat(records.get(1).position()).isEqualTo(afterFirst);
            assertThat(records.getLast().next()).isEqualTo(after);
            assertThat(all(records)).extracting(Event::fingerprint).containsExactly("before", "after");
            Path kept = dir.resolve("quarantine").resolve(String.format("%020d.undecodable", afterFirst));
            assertThat(Files.readAllBytes(kept)).isEqualTo(payload);
        }
    }

    @Test
    void afterCloseAppendsFailInsteadOfHanging() {
        var journal = FileEventJournal.open(dir);
        journal.close();
        assertThat(journal.append(List.of(event("late")))).isCompletedExceptionally();
    }

    /** Appends one event to a new journal in {@link #dir} and closes it; returns the journal's end. */
    private long appendedAndClosed(String fingerprint) throws Exception {
        try (var journal = FileEventJournal.open(dir)) {
            return journal.append(List.of(event(fingerprint))).get(10, TimeUnit.SECONDS);
        }
    }

    private static byte[] bytes(Path file, long from, long to) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) (to - from));
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
            c.read(b, from);
        }
        return b.array();
    }

    /** Damage on the disk: one byte of the file changes. */
    static void flip(Path file, long at) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            c.read(b, at);
            c.write(ByteBuffer.wrap(new byte[]{(byte) (b.get(0) ^ 0x5a)}), at);
        }
    }

    private static void flipByte(byte[] bytes, int at) {
        bytes[at] ^= 0x5a;
    }

    /** The start of a record cut short by a crash: a header promising 500 bytes, and 10 of them. */
    private static ByteBuffer tornRecord() {
        return ByteBuffer.allocate(8 + 10).putInt(500).putInt(42).put(new byte[10]).flip();
    }

    private Path onlySegment() throws IOException {
        List<Path> s = segments();
        assertThat(s).hasSize(1);
        return s.getFirst();
    }

    private static long base(Path segment) {
        return Long.parseLong(segment.getFileName().toString().replace(".journal", ""));
    }

    private List<Path> segments() throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".journal")).sorted().toList();
        }
    }
}
