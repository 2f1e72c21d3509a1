package io.onloop.testkit.ingest;

import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.EventJournal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A journal in memory, for tests of what sits on top of the port (the file journal has its own
 * tests). Each record takes 100 + 10 × events position units, so positions grow like bytes would.
 * It survives "restarts" of an ingestor as long as the same instance is reused.
 */
public final class InMemoryEventJournal implements EventJournal {
    private final String id = UUID.randomUUID().toString();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private final List<Record> records = new ArrayList<>();
    private final List<Record> quarantined = new ArrayList<>();
    private final List<String> quarantineReasons = new ArrayList<>();
    private long end;
    private long released;
    private volatile Exception appendFailure;

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletableFuture<Long> append(List<Event> events) {
        if (appendFailure != null) {
            return CompletableFuture.failedFuture(appendFailure);
        }
        lock.lock();
        try {
            long next = end + 100 + 10L * events.size();
            records.add(new Record(end, next, List.copyOf(events)));
            end = next;
            appended.signalAll();
            return CompletableFuture.completedFuture(next);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long end() {
        lock.lock();
        try {
            return end;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void skipTo(long position) {
        lock.lock();
        try {
            end = Math.max(end, position);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Record> read(long from, int maxEvents) {
        lock.lock();
        try {
            List<Record> out = new ArrayList<>();
            int events = 0;
            for (Record r : records) {
                if (r.position() < from) {
                    continue;
                }
                if (!out.isEmpty() && events + r.events().size() > maxEvents) {
                    break;
                }
                out.add(r);
                events += r.events().size();
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitBeyond(long position, Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (end <= position && nanos > 0) {
                nanos = appended.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void release(long position) {
        lock.lock();
        try {
            released = Math.max(released, position);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void quarantine(Record record, String reason) {
        lock.lock();
        try {
            quarantined.add(record);
            quarantineReasons.add(reason);
        } finally {
            lock.unlock();
        }
    }

    /** Appends fail with {@code failure} until it is cleared with null, as on a full disk. */
    public void failAppends(Exception failure) {
        appendFailure = failure;
    }

    /** Records set aside because they could not be stored. */
    public List<Record> quarantined() {
        lock.lock();
        try {
            return List.copyOf(quarantined);
        } finally {
            lock.unlock();
        }
    }

    /** The reasons given when they were set aside, in the same order. */
    public List<String> quarantineReasons() {
        lock.lock();
        try {
            return List.copyOf(quarantineReasons);
        } finally {
            lock.unlock();
        }
    }

    /** The position up to which the ingestor said everything is applied. */
    public long released() {
        lock.lock();
        try {
            return released;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
    }
}
