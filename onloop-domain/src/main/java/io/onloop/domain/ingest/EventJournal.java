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

    /** One request's events and where they sit: {@code next} is the position of the following record. */
    record Record(long position, long next, List<Event> events) {
    }

    /** Identifies this journal, so a store's checkpoint is never applied to a different journal. */
    String id();

    /** Appends one record; completes once it is on disk, with the position after it. */
    CompletableFuture<Long> append(List<Event> events);

    /** The position after the last record on disk. */
    long end();

    /** Durable records from {@code from} on, oldest first, up to about {@code maxEvents} events (at least one record). */
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
