package io.onloop.domain.ingest;

import io.onloop.domain.event.Event;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Port: the write-ahead journal that is ingest's durability point. A request is answered 2xx once
 * its events are appended and on disk; they are grouped and stored afterwards, in journal order,
 * and a crash in between loses nothing because the store records how far it has applied.
 * Positions are byte offsets that only grow; each record holds one request's events.
 */
public interface EventJournal extends AutoCloseable {

    /** An append whose record would be larger than the journal takes: it fails the same however often it is tried. */
    final class RecordTooLargeException extends IllegalArgumentException {
        public RecordTooLargeException(long bytes, long max) {
            super(bytes + " bytes, at most " + max);
        }
    }

    /** One request's events and where they sit: {@code next} is the position of the following record. */
    record Record(long position, long next, List<Event> events) {
    }

    /** Identifies this journal, so a store's checkpoint is never applied to a different journal. */
    String id();

    /** Appends one record; completes once it is on disk, with the position after it. */
    CompletableFuture<Long> append(List<Event> events);

    /** The position after the last record on disk. */
    long end();

    /**
     * The store has applied records up to {@code position}, beyond {@link #end()}: the journal lost its last records
     * after they were stored (damage on the disk cut them off). Positions go on from there, so a new record is never
     * taken for one already applied. Called before the first append; nothing happens if {@code position <= end()}.
     */
    void skipTo(long position);

    /**
     * Durable records from {@code from} on, oldest first, up to about {@code maxEvents} events (at least one record).
     * Bytes that are no intact record (damage on the disk) are set aside and read as a record with no events.
     */
    List<Record> read(long from, int maxEvents);

    /** Waits until a record beyond {@code position} is on disk, or the timeout passes. */
    void awaitBeyond(long position, Duration timeout) throws InterruptedException;

    /** Everything before {@code position} is applied: the journal may reclaim its space. */
    void release(long position);

    /** Keeps a record that cannot be applied aside (it is never dropped silently), with why. */
    void quarantine(Record record, String reason);

    @Override
    void close();
}
