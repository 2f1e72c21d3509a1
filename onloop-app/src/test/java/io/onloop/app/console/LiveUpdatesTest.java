package io.onloop.app.console;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out on its own: per tenant, bounded, and a slow browser never holds up the ingest writer. */
class LiveUpdatesTest {
    private final LiveUpdates live = new LiveUpdates();
    private final CountDownLatch release = new CountDownLatch(1);

    LiveUpdatesTest() {
        live.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        live.stop();
    }

    /** Hands each message to the test instead of a network connection. */
    static final class RecordingEmitter extends SseEmitter {
        final BlockingQueue<String> sent = new LinkedBlockingQueue<>();

        @Override
        public void send(SseEventBuilder event) {
            StringBuilder text = new StringBuilder();
            event.build().forEach(part -> text.append(part.getData()));
            sent.add(text.toString());
        }
    }

    /**
     * A browser that stopped reading: every send blocks until the test ends, and so does completing the stream, as
     * the real emitter's completion waits for the write in progress.
     */
    final class StuckEmitter extends SseEmitter {
        @Override
        public void send(SseEventBuilder event) throws IOException {
            awaitRelease();
            throw new IOException("connection closed");
        }

        @Override
        public void complete() {
            awaitRelease();
            super.complete();
        }

        private void awaitRelease() {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Event event(String tenant, UUID incident) {
        Instant now = Instant.now();
        return new Event(UUID.randomUUID(), tenant, null, SourceType.GENERIC, now, now, EventStatus.FIRING,
                Severity.HIGH, null, "<b>alert text</b>", "secret details", null, null, "fp", null, "{}", incident);
    }

    @Test
    void eachTenantHearsOnlyItsOwnEventsAsCountsAndIdsWithoutText() throws Exception {
        var a = new RecordingEmitter();
        var b = new RecordingEmitter();
        live.subscribe("tenant-a", "alice", "session-1", a).orElseThrow();
        live.subscribe("tenant-b", "alice", "session-1", b).orElseThrow();
        assertThat(a.sent.poll(5, TimeUnit.SECONDS)).contains("connected");
        assertThat(b.sent.poll(5, TimeUnit.SECONDS)).contains("connected");

        UUID incident = UUID.randomUUID();
        live.committed(List.of(event("tenant-a", incident), event("tenant-a", incident), event("tenant-a", null)));

        String message = a.sent.poll(5, TimeUnit.SECONDS);
        assertThat(message).contains("\"events\":3", incident.toString()).doesNotContain("alert text", "secret");
        assertThat(b.sent.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSlowBrowserIsDroppedWithoutBlockingTheWriter() {
        live.subscribe("tenant-slow", "alice", "session-1", new StuckEmitter()).orElseThrow();
        var healthy = new RecordingEmitter();
        live.subscribe("tenant-slow", "alice", "session-1", healthy).orElseThrow();
        assertThat(live.subscribers("tenant-slow")).isEqualTo(2);

        long inWriter = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            long spent = 0;
            for (int i = 1; i <= LiveUpdates.QUEUE_PER_SUBSCRIBER + 5; i++) {
                long started = System.nanoTime();
                live.committed(List.of(event("tenant-slow", UUID.randomUUID())));
                spent += System.nanoTime() - started;
                int expected = i + 1; // "connected" and i messages: the healthy browser keeps up
                eventually(() -> healthy.sent.size() >= expected);
            }
            return spent;
        }, "the writer waited for the stuck browser");
        assertThat(Duration.ofNanos(inWriter)).as("time the writer spent handing off").isLessThan(Duration.ofSeconds(1));
        eventually(() -> live.subscribers("tenant-slow") == 1); // the stuck one is gone, the healthy one stays
    }

    private static void eventually(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void onePersonCannotTakeEveryStreamOfTheTenant() {
        for (int i = 0; i < LiveUpdates.MAX_SUBSCRIBERS_PER_USER; i++) {
            assertThat(live.subscribe("tenant-one", "greedy", "session-1", new RecordingEmitter())).isPresent();
        }
        assertThat(live.subscribe("tenant-one", "greedy", "session-1", new RecordingEmitter())).isEmpty();
        assertThat(live.subscribe("tenant-one", "admin", "session-1", new RecordingEmitter())).isPresent();
    }

    @Test
    void aTenantsNumberOfStreamsIsCapped() {
        for (int i = 0; i < LiveUpdates.MAX_SUBSCRIBERS_PER_TENANT; i++) {
            assertThat(live.subscribe("tenant-busy", "user-" + i % 10, "session-1", new RecordingEmitter())).isPresent();
        }
        assertThat(live.subscribe("tenant-busy", "someone-new", "session-1", new RecordingEmitter())).isEmpty();
        assertThat(live.subscribe("tenant-other", "alice", "session-1", new RecordingEmitter())).isPresent();
    }

    @Test
    void signingOutEndsThatSessionsStreamsAndDisablingAUserEndsAllTheirs() throws Exception {
        var signedOut = new RecordingEmitter();
        var otherSession = new RecordingEmitter();
        var otherUser = new RecordingEmitter();
        live.subscribe("tenant-s", "alice", "session-a", signedOut).orElseThrow();
        live.subscribe("tenant-s", "alice", "session-b", otherSession).orElseThrow();
        live.subscribe("tenant-s", "bob", "session-c", otherUser).orElseThrow();
        var session = new org.springframework.mock.web.MockHttpSession(null, "session-a");
        live.sessionDestroyed(new jakarta.servlet.http.HttpSessionEvent(session));
        eventually(() -> live.subscribers("tenant-s") == 2);

        live.userDisabled("tenant-s", "alice");
        eventually(() -> live.subscribers("tenant-s") == 1);
        live.committed(List.of(event("tenant-s", UUID.randomUUID())));
        assertThat(otherUser.sent.poll(5, TimeUnit.SECONDS)).contains("connected");
        assertThat(otherUser.sent.poll(5, TimeUnit.SECONDS)).contains("\"events\":1");
        for (var ended : List.of(signedOut, otherSession)) {
            assertThat(ended.sent.poll(5, TimeUnit.SECONDS)).contains("connected");
            assertThat(ended.sent.poll(300, TimeUnit.MILLISECONDS)).as("nothing after it ended").isNull();
        }
    }

    @Test
    void stoppingClosesEveryStream() {
        live.subscribe("tenant-x", "alice", "session-1", new RecordingEmitter()).orElseThrow();
        live.stop();
        assertThat(live.subscribers("tenant-x")).isZero();
        assertThat(live.subscribe("tenant-x", "alice", "session-1", new RecordingEmitter())).isEmpty();
    }
}
