package io.onloop.app.ingest;

import io.onloop.adapters.ingest.Parsers;
import io.onloop.app.Payloads;
import io.onloop.app.api.AuditLog;
import io.onloop.app.config.OnloopProperties;
import io.onloop.app.security.Secrets;
import io.onloop.domain.access.IngestSource;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventJournal;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import io.onloop.testkit.ingest.InMemoryEventJournal;
import io.onloop.testkit.store.InMemoryAccessStore;
import io.onloop.testkit.store.InMemoryEventStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When storing cannot keep up, senders get 503 with Retry-After, never a 2xx for events that are
 * not on disk. The ingest filter alone, over the in-memory journal and a store the test can hold up
 * (the HTTP path with the file journal and the real stores is covered end to end).
 */
class IngestBackpressureTest {
    private static final String TOKEN = "ols_backpressure-test";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final CountDownLatch storeEntered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final InMemoryEventStore events = new InMemoryEventStore();
    private EventIngestor ingestor;

    @AfterEach
    void releaseStore() {
        release.countDown();
        ingestor.close(Duration.ofSeconds(5));
    }

    private IngestFilter ingest(EventJournal journal, long maxBacklog, boolean holdStore, Duration commitTimeout) {
        EventStore store = (EventStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{EventStore.class}, (proxy, method, args) -> {
                    if (holdStore && method.getName().startsWith("inTransaction")) { // the applier's are forced later
                        storeEntered.countDown();
                        release.await(10, TimeUnit.SECONDS);
                    }
                    return method.invoke(events, args);
                });
        var access = new InMemoryAccessStore();
        Instant now = Instant.now();
        access.createTenant(new Tenant("t", "t", now));
        access.createSource(new IngestSource(UUID.randomUUID(), "t", SourceType.ALERTMANAGER, "am",
                Secrets.sha256Hex(TOKEN), true, List.of(), now));
        ingestor = new EventIngestor(journal, store, new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), maxBacklog, 100,
                committed -> {
                });
        var props = new OnloopProperties(null, new OnloopProperties.Ingest(1 << 20, 10_000, null, DataSize.ofBytes(maxBacklog), 100,
                commitTimeout, Duration.ofSeconds(5), Duration.ofSeconds(2)), null, null, null, null, null);
        return new IngestFilter(new IngestFormats(Parsers.defaults()), new IngestSourceCache(access, Clock.systemUTC()),
                new EventNormalizer(EventLimits.DEFAULT), ingestor, url -> {
                }, new AuditLog(events, Transactions.DIRECT, Clock.systemUTC()), Clock.systemUTC(), props, new SimpleMeterRegistry(),
                JsonMapper.builder().build());
    }

    private static MockHttpServletResponse post(IngestFilter ingest, String instance, String prefer) throws Exception {
        return postBody(ingest, Payloads.alertmanager("firing", "Backpressure", instance), prefer);
    }

    private static MockHttpServletResponse postBody(IngestFilter ingest, String body, String prefer) throws Exception {
        var request = new MockHttpServletRequest("POST", "/api/v1/ingest/alertmanager");
        request.setServletPath("/api/v1/ingest/alertmanager"); // as Tomcat has it, Spring's servlet mapped at "/"
        request.addHeader("Authorization", "Bearer " + TOKEN);
        if (prefer != null) {
            request.addHeader("Prefer", prefer);
        }
        request.setContentType("application/json");
        request.setContent(body.getBytes(StandardCharsets.UTF_8));
        var response = new MockHttpServletResponse();
        MockFilterChain rest = new MockFilterChain();
        ingest.doFilter(request, response, rest);
        assertThat(rest.getRequest()).as("ingest answers; no later filter or servlet runs").isNull();
        return response;
    }

    private static JsonNode body(MockHttpServletResponse response) throws Exception {
        return JSON.readTree(response.getContentAsString());
    }

    @Test
    void aFullBacklogIs503WithRetryAfterAndNothingJournaled() throws Exception {
        var journal = new InMemoryEventJournal();
        var ingest = ingest(journal, 1, true, Duration.ofSeconds(10));
        assertThat(post(ingest, "first", null).getStatus()).isEqualTo(202);
        assertThat(storeEntered.await(5, TimeUnit.SECONDS)).isTrue();
        long end = journal.end();

        var refused = post(ingest, "second", null);
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
        assertThat(refused.getContentType()).isEqualTo("application/problem+json");
        assertThat(body(refused).get("detail").asString()).contains("overloaded");
        assertThat(journal.end()).as("the refused request left nothing behind").isEqualTo(end);

        // refused before its body is read: parsing and redacting it would take CPU from storing, which sets the rate
        assertThat(postBody(ingest, "{\"alerts\": [", null).getStatus()).as("a malformed body, not parsed").isEqualTo(503);
    }

    @Test
    void aRequestTooLargeForOneJournalRecordIs413NotARetry() throws Exception {
        var journal = new InMemoryEventJournal();
        var ingest = ingest(journal, Long.MAX_VALUE, false, Duration.ofSeconds(10));
        journal.failAppends(new EventJournal.RecordTooLargeException(70L << 20, 64L << 20));
        var refused = post(ingest, "huge", null);
        assertThat(refused.getStatus()).isEqualTo(413);
        assertThat(refused.getHeader("Retry-After")).as("sending it again cannot work").isNull();
        assertThat(body(refused).get("detail").asString()).contains("smaller requests").contains("at most 67108864");
    }

    @Test
    void eventsNotOnDiskInTimeAre503NotA2xx() throws Exception {
        var never = new InMemoryEventJournal();
        EventJournal stuck = (EventJournal) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{EventJournal.class}, (proxy, method, args) -> method.getName().equals("append")
                        ? new CompletableFuture<Long>() : method.invoke(never, args));
        var ingest = ingest(stuck, Long.MAX_VALUE, false, Duration.ofMillis(200));
        var refused = post(ingest, "slow", null);
        assertThat(refused.getStatus()).isEqualTo(503);
        assertThat(body(refused).get("detail").asString()).contains("not written in time");
        assertThat(refused.getHeader("Retry-After")).isEqualTo("2");
    }

    @Test
    void preferWaitReturnsIncidentIdsOnceStoredAndOnlyThen() throws Exception {
        var ingest = ingest(new InMemoryEventJournal(), Long.MAX_VALUE, false, Duration.ofSeconds(10));
        var waited = post(ingest, "waited", "wait=5");
        assertThat(waited.getStatus()).isEqualTo(202);
        assertThat(waited.getHeader("Preference-Applied")).isEqualTo("wait=5");
        JsonNode body = body(waited);
        assertThat(body.get("stored").asBoolean()).isTrue();
        UUID incident = UUID.fromString(body.get("incidentIds").get(0).asString());
        UUID event = UUID.fromString(body.get("eventIds").get(0).asString());
        assertThat(events.findEvent("t", event)).get().extracting(Event::incidentId).isEqualTo(incident);

        var plain = body(post(ingest, "plain", null));
        assertThat(plain.get("stored").asBoolean()).isFalse();
        assertThat(plain.has("incidentIds")).isFalse();
        assertThat(plain.get("eventIds")).hasSize(1);
    }

    @Test
    void preferWaitThatRunsOutIsStillAccepted() throws Exception {
        var ingest = ingest(new InMemoryEventJournal(), Long.MAX_VALUE, true, Duration.ofSeconds(10));
        var response = post(ingest, "held", "respond-async, wait=1");
        assertThat(response.getStatus()).isEqualTo(202);
        assertThat(response.getHeader("Preference-Applied")).isNull();
        JsonNode body = body(response);
        assertThat(body.get("stored").asBoolean()).isFalse();
        assertThat(body.get("accepted").asInt()).isEqualTo(1);
        release.countDown();
        UUID event = UUID.fromString(body.get("eventIds").get(0).asString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.findEvent("t", event).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(events.findEvent("t", event)).as("stored after all").isPresent();
    }
}
