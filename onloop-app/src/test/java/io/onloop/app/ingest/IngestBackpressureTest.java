package io.onloop.app.ingest;

import io.onloop.adapters.ingest.Parsers;
import io.onloop.app.Payloads;
import io.onloop.app.api.ApiException;
import io.onloop.app.api.AuditLog;
import io.onloop.app.config.OnloopProperties;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.store.EventStore;
import io.onloop.testkit.store.InMemoryAccessStore;
import io.onloop.testkit.store.InMemoryEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.mock.web.MockHttpServletRequest;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * When the writer cannot keep up, senders get 503 with Retry-After, never a 2xx for an event that
 * is not committed. The controller alone, over a store whose writer the test holds up (the HTTP
 * path and the real store are covered by the end-to-end suites).
 */
class IngestBackpressureTest {
    private static final String TOKEN = "ols_backpressure-test";
    private final CountDownLatch writerEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private EventIngestor ingestor;

    @AfterEach
    void releaseWriter() {
        release.countDown();
        ingestor.close();
    }

    private IngestController controller(int queueCapacity, Duration commitTimeout) {
        var events = new InMemoryEventStore();
        EventStore held = (EventStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{EventStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("inTransaction")) {
                        writerEntered.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return method.invoke(events, args);
                });
        var access = new InMemoryAccessStore();
        Instant now = Instant.now();
        access.createTenant(new Tenant("t", "t", now));
        access.createSource(new IngestSource(UUID.randomUUID(), "t", SourceType.ALERTMANAGER, "am",
                Secrets.sha256Hex(TOKEN), true, now));
        ingestor = new EventIngestor(held, new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), queueCapacity, 100,
                committed -> {
                });
        var props = new OnloopProperties(null, new OnloopProperties.Ingest(1 << 20, queueCapacity, 100, commitTimeout,
                Duration.ofSeconds(2)), null, null);
        return new IngestController(new IngestFormats(Parsers.defaults()), new IngestSourceCache(access, Clock.systemUTC()),
                new EventNormalizer(EventLimits.DEFAULT), ingestor, url -> {
                }, new AuditLog(events, Clock.systemUTC()), Clock.systemUTC(), props, new SimpleMeterRegistry());
    }

    private static MockHttpServletRequest request(String instance) {
        var request = new MockHttpServletRequest("POST", "/api/v1/ingest/alertmanager");
        request.addHeader("Authorization", "Bearer " + TOKEN);
        request.setContentType("application/json");
        request.setContent(Payloads.alertmanager("firing", "Backpressure", instance).getBytes(StandardCharsets.UTF_8));
        return request;
    }

    private static Event anEvent() {
        var alert = new NormalizedAlert(EventStatus.FIRING, Severity.HIGH, "", "queued", "", null, Map.of(), "fp",
                null, null, "");
        return new EventNormalizer(EventLimits.DEFAULT).toEvent("t", null, SourceType.ALERTMANAGER, alert, Instant.now());
    }

    /** Holds the writer inside its transaction with one request, so later ones queue up. */
    private void holdWriter(IngestController controller) throws InterruptedException {
        Thread.ofVirtual().start(() -> controller.ingest("alertmanager", request("first")));
        assertThat(writerEntered.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aFullQueueIs503WithRetryAfter() throws InterruptedException {
        var controller = controller(1, Duration.ofSeconds(10));
        holdWriter(controller);
        ingestor.submit(List.of(anEvent())); // takes the queue's one slot
        var refused = catchThrowableOfType(ApiException.class, () -> controller.ingest("alertmanager", request("third")));
        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.headers().getFirst("Retry-After")).isEqualTo("2");
    }

    @Test
    void aCommitThatTakesTooLongIs503NotA2xx() throws InterruptedException {
        var controller = controller(10, Duration.ofMillis(200));
        holdWriter(controller);
        var refused = catchThrowableOfType(ApiException.class, () -> controller.ingest("alertmanager", request("slow")));
        assertThat(refused.status()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(refused.getMessage()).contains("not committed");
        assertThat(refused.headers().getFirst("Retry-After")).isEqualTo("2");
    }
}
