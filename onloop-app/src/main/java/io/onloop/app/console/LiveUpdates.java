package io.onloop.app.console;

import io.onloop.domain.event.Event;
import io.onloop.domain.ingest.CommittedEventsListener;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Tells open console pages that something changed, over server-sent events, one stream per browser
 * tab. The ingest writer calls {@link #committed} on its own thread, so this only offers a short
 * message to each subscriber's small queue and returns; each subscriber has its own virtual thread
 * that writes to the network. A subscriber whose queue is full is too slow and is dropped (its
 * browser reconnects and reloads what it shows). Messages carry counts and ids, never alert text:
 * pages fetch the text through the escaping templates. A stream ends with its session (signing out, expiry) and when
 * its user is disabled: it says nothing more to whoever no longer may read.
 */
@Component
public class LiveUpdates implements CommittedEventsListener, SmartLifecycle, HttpSessionListener {
    static final int QUEUE_PER_SUBSCRIBER = 16;
    static final int MAX_SUBSCRIBERS_PER_TENANT = 200;
    /** Tabs one person may have streaming: enough for any desk, not enough to take a tenant's every slot. */
    static final int MAX_SUBSCRIBERS_PER_USER = 20;
    /**
     * A closed tab's stream is found only by a write that fails (the first into a closed connection may not): its
     * slot is free again within two heartbeats, 5 to 10 s, where it took 20 to 40 (exploratory tester: twenty pages
     * opened within half a minute left that person without live updates).
     */
    static final Duration HEARTBEAT = Duration.ofSeconds(5);
    static final Duration STREAM_LIFETIME = Duration.ofMinutes(30);
    private static final int MAX_IDS_PER_MESSAGE = 50;

    private final Map<String, Set<Subscriber>> byTenant = new ConcurrentHashMap<>();
    private volatile boolean running;

    /**
     * A new stream for one browser tab of this user, in this session; empty when the tenant, or the user, already has
     * too many.
     */
    public Optional<SseEmitter> subscribe(String tenantId, String user, String sessionId) {
        return subscribe(tenantId, user, sessionId, new SseEmitter(STREAM_LIFETIME.toMillis()));
    }

    Optional<SseEmitter> subscribe(String tenantId, String user, String sessionId, SseEmitter emitter) {
        Set<Subscriber> subscribers = byTenant.computeIfAbsent(tenantId, t -> new CopyOnWriteArraySet<>());
        if (!running || subscribers.size() >= MAX_SUBSCRIBERS_PER_TENANT
                || subscribers.stream().filter(s -> s.user.equals(user)).count() >= MAX_SUBSCRIBERS_PER_USER) {
            return Optional.empty();
        }
        var subscriber = new Subscriber(tenantId, user, sessionId, emitter);
        subscribers.add(subscriber);
        subscriber.emitter.onCompletion(subscriber::close);
        subscriber.emitter.onTimeout(subscriber::close);
        subscriber.emitter.onError(e -> subscriber.close());
        subscriber.sender = Thread.ofVirtual().name("console-sse-" + tenantId).start(subscriber::run);
        return Optional.of(subscriber.emitter);
    }

    int subscribers(String tenantId) {
        return byTenant.getOrDefault(tenantId, Set.of()).size();
    }

    @Override
    public void committed(List<Event> events) {
        Map<String, List<Event>> perTenant = events.stream()
                .collect(Collectors.groupingBy(Event::tenantId, LinkedHashMap::new, Collectors.toList()));
        perTenant.forEach((tenant, list) -> {
            Set<UUID> incidents = new LinkedHashSet<>();
            list.stream().map(Event::incidentId).filter(Objects::nonNull).forEach(incidents::add);
            publish(tenant, list.size(), incidents);
        });
    }

    /** Signed out, expired or invalidated: that session's streams end (without waiting for a write in progress). */
    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        String sessionId = event.getSession().getId();
        byTenant.values().forEach(set -> set.stream().filter(s -> sessionId.equals(s.sessionId)).forEach(Subscriber::drop));
    }

    /** The user may no longer read the tenant: their streams end at once, in every session. */
    public void userDisabled(String tenantId, String user) {
        byTenant.getOrDefault(tenantId, Set.of()).stream().filter(s -> s.user.equals(user)).forEach(Subscriber::drop);
    }

    /** A person changed an incident (acknowledged, resolved, commented). */
    public void incidentChanged(String tenantId, UUID incidentId) {
        publish(tenantId, 0, Set.of(incidentId));
    }

    private void publish(String tenantId, int eventCount, Set<UUID> incidentIds) {
        Set<Subscriber> subscribers = byTenant.get(tenantId);
        if (subscribers == null || subscribers.isEmpty()) {
            return;
        }
        String ids = incidentIds.stream().limit(MAX_IDS_PER_MESSAGE).map(id -> "\"" + id + "\"")
                .collect(Collectors.joining(","));
        String message = "{\"events\":" + eventCount + ",\"incidents\":[" + ids + "]}";
        for (Subscriber s : subscribers) {
            if (!s.queue.offer(message)) {
                // Too slow: dropped rather than hold the writer or grow without bound. Its own thread ends the stream:
                // ending it here would wait for the write it is stuck in, and hold storing up until that times out.
                s.drop();
            }
        }
    }

    private final class Subscriber {
        final String tenantId;
        final String user;
        final String sessionId;
        final SseEmitter emitter;
        final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE_PER_SUBSCRIBER);
        volatile Thread sender;
        private volatile boolean closed;

        Subscriber(String tenantId, String user, String sessionId, SseEmitter emitter) {
            this.tenantId = tenantId;
            this.user = user;
            this.sessionId = sessionId;
            this.emitter = emitter;
        }

        void run() {
            try {
                emitter.send(SseEmitter.event().comment("connected").reconnectTime(3000));
                while (!closed) {
                    String message = queue.poll(HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                    if (message == null) {
                        emitter.send(SseEmitter.event().comment("heartbeat")); // finds dead connections
                    } else {
                        emitter.send(SseEmitter.event().name("changed").data(message));
                    }
                }
            } catch (IOException | IllegalStateException e) {
                // the browser went away or the stream ended
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                close();
            }
        }

        /**
         * No more messages: it leaves its tenant's set, and its sender ends the stream when it next runs (a sender stuck
         * in a write, which Tomcat does not interrupt, when that write times out). Never waits.
         */
        void drop() {
            if (closed) {
                return;
            }
            closed = true;
            Set<Subscriber> set = byTenant.get(tenantId);
            if (set != null) {
                set.remove(this);
            }
            Thread t = sender;
            if (t != null && t != Thread.currentThread()) {
                t.interrupt();
            }
        }

        /** Drops it and ends the stream, which waits for a write in progress: not for the ingest writer's thread. */
        void close() {
            drop();
            try {
                emitter.complete();
            } catch (RuntimeException e) {
                // already completed
            }
        }
    }

    // Streams never end by themselves; closing them first lets graceful shutdown finish at once.

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        List<Subscriber> all = new ArrayList<>();
        byTenant.values().forEach(all::addAll);
        all.forEach(Subscriber::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE; // stopped before the web server's graceful shutdown waits for requests
    }
}
