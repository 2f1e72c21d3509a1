package io.onloop.domain.ingest;

import io.onloop.domain.event.Event;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.store.EventStore;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The durable hand-off between "received" and "accepted": group commit.
 * Requests queue up; one writer thread takes everything waiting (up to {@code maxBatchEvents}),
 * groups and stores it in a single transaction, and only then completes each request's future.
 * Under load many requests share one commit, so durability costs one fsync per batch, not per alert.
 * If a shared batch fails, each request in it is retried on its own so one bad request fails alone.
 */
public final class EventIngestor implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EventIngestor.class.getName());

    /** The queue is full: the caller should answer 503 with Retry-After. */
    public static final class OverloadedException extends RuntimeException {
        public OverloadedException() {
            super("ingest queue is full");
        }
    }

    private record Pending(List<Event> events, CompletableFuture<List<Event>> done) {
    }

    private final EventStore store;
    private final IncidentGrouping grouping;
    private final int maxBatchEvents;
    private final Consumer<List<Event>> afterCommit;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    private volatile boolean running = true;

    /**
     * @param afterCommit called on the writer thread with each committed batch (for later stages);
     *                    must be quick and must not throw
     */
    public EventIngestor(EventStore store, IncidentGrouping grouping, int queueCapacity, int maxBatchEvents,
                         Consumer<List<Event>> afterCommit) {
        this.store = store;
        this.grouping = grouping;
        this.maxBatchEvents = maxBatchEvents;
        this.afterCommit = afterCommit;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        this.writer = Thread.ofPlatform().name("onloop-event-writer").daemon().start(this::writeLoop);
    }

    /** Completes with the stored events (incident ids set) once they are committed. */
    public CompletableFuture<List<Event>> submit(List<Event> events) {
        var pending = new Pending(List.copyOf(events), new CompletableFuture<>());
        if (events.isEmpty()) {
            pending.done().complete(List.of());
        } else if (!running) {
            pending.done().completeExceptionally(new IllegalStateException("ingestor is shut down"));
        } else if (!queue.offer(pending)) {
            pending.done().completeExceptionally(new OverloadedException());
        } else if (!running && queue.remove(pending)) {
            // close() ran between the check above and the offer; the writer may be gone already
            pending.done().completeExceptionally(new IllegalStateException("ingestor is shut down"));
        }
        return pending.done();
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int events = first.events().size();
                Pending next;
                while (events < maxBatchEvents && (next = queue.peek()) != null
                        && events + next.events().size() <= maxBatchEvents) {
                    batch.add(queue.poll());
                    events += next.events().size();
                }
                write(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // Never let the writer die: every later request would wait for a commit that never comes.
                LOG.log(Level.SEVERE, "event writer failed", e);
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    private void write(List<Pending> batch) {
        try {
            List<List<Event>> stored = store.inTransaction(tx -> {
                batch.stream().flatMap(p -> p.events().stream())
                        .collect(Collectors.groupingBy(Event::tenantId, Collectors.mapping(Event::fingerprint, Collectors.toSet())))
                        .forEach(tx::prefetchOpenIncidents);
                List<List<Event>> out = new ArrayList<>(batch.size());
                for (Pending p : batch) {
                    out.add(p.events().stream().map(e -> grouping.apply(tx, e)).toList());
                }
                return out;
            });
            publish(stored.stream().flatMap(List::stream).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).done().complete(stored.get(i));
            }
        } catch (RuntimeException | Error e) {
            if (batch.size() == 1) {
                batch.getFirst().done().completeExceptionally(e);
                return;
            }
            for (Pending p : batch) {
                write(List.of(p));
            }
        }
    }

    private void publish(List<Event> committed) {
        try {
            afterCommit.accept(committed);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "after-commit listener failed", e);
        }
    }

    /** Stops taking requests, writes what is queued, then returns. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
