package io.onloop.app.anomaly;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.onloop.domain.anomaly.EnsembleDetector;
import io.onloop.domain.anomaly.watch.MetricWatcher;
import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.Severity;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.testkit.MutableClock;
import io.onloop.testkit.ingest.InMemoryEventJournal;
import io.onloop.testkit.metrics.InMemoryMetricsQuery;
import io.onloop.testkit.store.EventStoreContract.DelegatingEventStore;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** An event the watcher raised while ingest refused it is sent on the next tick, not lost. */
class AnomalyWatchServiceTest {
    static final Instant T0 = Instant.parse("2026-11-20T00:00:00Z");
    static final Duration STEP = Duration.ofMinutes(1);
    /** Six hours of history, 100 points to learn from, five steps back in the band to end an episode. */
    static final MetricWatcher.Settings SETTINGS = new MetricWatcher.Settings(Duration.ofHours(6), 100, 240, 60, 5, 360, 10);

    @Test
    void whatIngestRefusesIsSentOnTheNextTick() throws Exception {
        var metrics = new InMemoryMetricsQuery();
        Map<String, String> pod = Map.of("__name__", "memory", "namespace", "shop", "pod", "api-1");
        // 5 MB a minute toward a 1000 MB limit: under an hour left from minute 40
        for (int i = 0; i <= 30; i++) {
            metrics.add("memory", pod, T0.plus(STEP.multipliedBy(i)), 500 + 5 * i);
        }
        var watch = new Watch("api-memory", "memory", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, 1000.0, null,
                Duration.ofHours(1), Map.of());
        var storeDown = new AtomicBoolean(true);
        var memory = new InMemoryEventStore();
        EventStore store = new DelegatingEventStore(memory) {
            @Override
            public <T> T inTransaction(Function<Transaction, T> work) {
                if (storeDown.get()) {
                    throw new IllegalStateException("database down");
                }
                return super.inTransaction(work);
            }
        };
        var clock = new MutableClock(T0.plus(STEP.multipliedBy(30)));
        var normalizer = new EventNormalizer(EventLimits.DEFAULT);
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), 1, 100, events -> { })) {
            // one accepted event that cannot be stored: the backlog is over its bound of 1 from now on
            var blocker = normalizer.toEvent("t1", null, io.onloop.domain.event.SourceType.ONLOOP,
                    new io.onloop.domain.event.NormalizedAlert(io.onloop.domain.event.EventStatus.FIRING, Severity.LOW,
                            "low", "blocker", "", io.onloop.domain.event.Resource.UNKNOWN, Map.of(), "blocker", null,
                            null, "{}"), clock.instant());
            ingestor.submit(List.of(blocker), false).durable().join();
            var watcher = new MetricWatcher(metrics, EnsembleDetector::new, SETTINGS);
            var service = new AnomalyWatchService("prometheus", watcher, Optional.empty(), List.of(watch), STEP,
                    Duration.ZERO, "t1", normalizer, ingestor, store, clock, new SimpleMeterRegistry());

            service.tick(); // learns the history; about 70 minutes left, nothing to raise
            for (int i = 31; i <= 45; i++) {
                metrics.add("memory", pod, T0.plus(STEP.multipliedBy(i)), 500 + 5 * i);
            }
            clock.set(T0.plus(STEP.multipliedBy(45)));
            assertThat(memory.findEvents(EventQuery.all("t1", 100)).items()).isEmpty();
            assertThatThrownBy(service::tick).hasRootCauseInstanceOf(EventIngestor.OverloadedException.class);

            storeDown.set(false); // the applier's retry stores the blocker and the backlog empties
            awaitStored(ingestor);
            metrics.add("memory", pod, T0.plus(STEP.multipliedBy(46)), 500 + 5 * 46);
            clock.set(T0.plus(STEP.multipliedBy(46)));
            service.tick(); // the watcher raises nothing new (the episode is open); the refused event goes now
            awaitStored(ingestor);
        }
        List<Event> stored = memory.findEvents(EventQuery.all("t1", 100)).items();
        assertThat(stored).extracting(Event::title).anySatisfy(t -> assertThat(t).startsWith("api-memory reaches its limit"));
    }

    @Test
    void aSettleDelayLooksAtTheDataAsOfThatMuchEarlier() {
        List<Instant> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        var recording = new io.onloop.domain.metrics.MetricsQuery() {
            @Override
            public String backend() {
                return "cloudwatch";
            }

            @Override
            public List<io.onloop.domain.metrics.MetricSeries> range(String query, Instant start, Instant end, Duration step) {
                asked.add(end);
                return List.of();
            }

            @Override
            public List<io.onloop.domain.metrics.MetricSeries> instant(String query, Instant at) {
                return List.of();
            }
        };
        var watch = new Watch("cpu", "AWS/EC2:CPUUtilization{InstanceId=i-1}:Average", Duration.ofMinutes(5),
                Watch.Kind.ANOMALY, Severity.MEDIUM, 0.5, null, null, null, Map.of());
        var watcher = new MetricWatcher(recording, EnsembleDetector::new, MetricWatcher.Settings.DEFAULT);
        var clock = new MutableClock(T0.plus(Duration.ofMinutes(12)));
        var store = new InMemoryEventStore();
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { })) {
            var service = new AnomalyWatchService("cloudwatch", watcher, Optional.empty(), List.of(watch), STEP,
                    Duration.ofMinutes(3), "t1", new EventNormalizer(EventLimits.DEFAULT), ingestor, store, clock,
                    new SimpleMeterRegistry());
            service.tick();
        }
        // at 00:12 with 3 minutes to settle: the data as of 00:09, i.e. the periods up to the one ending 00:05
        assertThat(asked).containsExactly(T0.plus(Duration.ofMinutes(5)));
    }

    @Test
    void aFailingBackendIsSaidOnceWhenItStartsAndOnceWhenItAnswersAgain() {
        var flaky = new InMemoryMetricsQuery();
        flaky.fail("q", "prometheus unreachable: connection refused");
        var watch = new Watch("latency", "q", STEP, Watch.Kind.ANOMALY, Severity.MEDIUM, 0.5, null, null, null, Map.of());
        var log = io.onloop.testkit.LogCapture.of(AnomalyWatchService.class);
        var logged = log.records();
        var clock = new MutableClock(T0);
        var meters = new SimpleMeterRegistry();
        var store = new InMemoryEventStore();
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { })) {
            var service = new AnomalyWatchService("prometheus", new MetricWatcher(flaky, EnsembleDetector::new,
                    MetricWatcher.Settings.DEFAULT), Optional.empty(), List.of(watch), STEP, Duration.ZERO, "t1",
                    new EventNormalizer(EventLimits.DEFAULT), ingestor, store, clock, meters);
            for (int i = 1; i <= 3; i++) {
                clock.set(T0.plus(STEP.multipliedBy(i)));
                service.tick();
            }
            flaky.recover("q");
            for (int i = 4; i <= 5; i++) {
                clock.set(T0.plus(STEP.multipliedBy(i)));
                service.tick();
            }
        } finally {
            log.close();
        }
        assertThat(logged).filteredOn(r -> r.getLevel() == java.util.logging.Level.WARNING).singleElement()
                .satisfies(r -> assertThat(r.getParameters()[0]).isEqualTo("latency: prometheus unreachable: connection refused"));
        assertThat(logged).filteredOn(r -> r.getLevel() == java.util.logging.Level.INFO).singleElement()
                .satisfies(r -> assertThat(r.getMessage()).isEqualTo("anomaly watch {0} answers again"));
        assertThat(meters.counter("onloop.anomaly.query.failures", "backend", "prometheus").count())
                .as("the counter still counts every failed tick").isEqualTo(3);
    }

    @Test
    void anomalyIncidentsOpenAtARestartAreResolvedByTheWatcherThatTakesOver() throws Exception {
        var metrics = new InMemoryMetricsQuery();
        Map<String, String> api1 = Map.of("__name__", "latency", "pod", "api-1");
        Map<String, String> api0 = Map.of("__name__", "latency", "pod", "api-0");
        for (int i = 0; i <= 110; i++) {
            double v = i > 100 ? 300 : 100 + i % 3; // both pods spike from minute 101
            metrics.add("latency", api1, T0.plus(STEP.multipliedBy(i)), v);
            metrics.add("latency", api0, T0.plus(STEP.multipliedBy(i)), v);
            metrics.add("latency{pod='api-1'}", api1, T0.plus(STEP.multipliedBy(i)), v);
        }
        var clock = new MutableClock(T0.plus(STEP.multipliedBy(100)));
        var store = new InMemoryEventStore();
        var normalizer = new EventNormalizer(EventLimits.DEFAULT);
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { })) {
            var before = new AnomalyWatchService("prometheus", new MetricWatcher(metrics, () -> new io.onloop.testkit.anomaly.ScoresAbove(200), SETTINGS),
                    Optional.empty(), List.of(latencyWatch("latency")), STEP, Duration.ZERO, "t1", normalizer, ingestor,
                    store, clock, new SimpleMeterRegistry());
            before.tick(); // learns
            clock.set(T0.plus(STEP.multipliedBy(110)));
            before.tick(); // raises both
            awaitStored(ingestor);
            assertThat(openIncidents(store)).hasSize(2);

            // onloop restarts; the watch now asks for api-1 alone
            var after = new AnomalyWatchService("prometheus", new MetricWatcher(metrics, () -> new io.onloop.testkit.anomaly.ScoresAbove(200), SETTINGS),
                    Optional.empty(), List.of(latencyWatch("latency{pod='api-1'}")), STEP, Duration.ZERO, "t1",
                    normalizer, ingestor, store, clock, new SimpleMeterRegistry());
            after.tick();
            awaitStored(ingestor);
            assertThat(openIncidents(store)).as("api-1 is still outside its band; api-0 is no longer watched")
                    .singleElement().satisfies(i -> assertThat(i.title()).contains("pod=api-1"));
            for (int i = 111; i <= 120; i++) {
                metrics.add("latency{pod='api-1'}", api1, T0.plus(STEP.multipliedBy(i)), 100);
            }
            clock.set(T0.plus(STEP.multipliedBy(120)));
            after.tick();
            awaitStored(ingestor);
        }
        assertThat(openIncidents(store)).isEmpty();
        List<Event> resolves = store.findEvents(EventQuery.all("t1", 100)).items().stream()
                .filter(e -> e.status() == io.onloop.domain.event.EventStatus.RESOLVED).toList();
        assertThat(resolves).extracting(Event::title).containsExactlyInAnyOrder("Anomaly in api-latency (pod=api-1)",
                "No longer watched: api-latency");
        assertThat(resolves).filteredOn(e -> e.title().startsWith("No longer")).singleElement()
                .satisfies(e -> assertThat(e.labels()).containsEntry("pod", "api-0"));
    }

    @Test
    void alertRuleIncidentsOpenAtARestartAreTakenUpOnceTheRulesAreListed() throws Exception {
        var metrics = latencyAndQueueSpikingFromMinute101();
        Map<String, String> api = Map.of("__name__", "latency", "pod", "api-1");
        var prometheus = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        prometheus.start();
        var clock = new MutableClock(T0.plus(STEP.multipliedBy(100)));
        var store = new InMemoryEventStore();
        var normalizer = new EventNormalizer(EventLimits.DEFAULT);
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { })) {
            var rules = Optional.of(new io.onloop.adapters.prometheus.PrometheusMetricsQuery(
                    io.onloop.adapters.prometheus.PrometheusMetricsQuery.Settings.of(prometheus.baseUrl())));
            answerRules(prometheus, 200, rulesJson("HighLatency", "latency > 200", "QueueBacklog", "queue_depth > 200"));
            var before = new AnomalyWatchService("prometheus", new MetricWatcher(metrics,
                    () -> new io.onloop.testkit.anomaly.ScoresAbove(200), SETTINGS), rules, List.of(), STEP, Duration.ZERO,
                    "t1", normalizer, ingestor, store, clock, new SimpleMeterRegistry());
            before.tick(); // learns
            clock.set(T0.plus(STEP.multipliedBy(110)));
            before.tick(); // raises both
            awaitStored(ingestor);
            assertThat(openIncidents(store)).hasSize(2);

            // onloop restarts while Prometheus cannot list its rules; once it can, QueueBacklog has been deleted
            answerRules(prometheus, 503, "{\"status\":\"error\",\"errorType\":\"unavailable\",\"error\":\"starting\"}");
            var after = new AnomalyWatchService("prometheus", new MetricWatcher(metrics,
                    () -> new io.onloop.testkit.anomaly.ScoresAbove(200), SETTINGS), rules, List.of(), STEP, Duration.ZERO,
                    "t1", normalizer, ingestor, store, clock, new SimpleMeterRegistry());
            List<java.util.logging.LogRecord> logged;
            try (var log = io.onloop.testkit.LogCapture.of(AnomalyWatchService.class)) {
                after.tick();
                after.tick(); // still failing: not said again
                answerRules(prometheus, 200, rulesJson("HighLatency", "latency > 200"));
                after.tick();
                logged = log.records();
            }
            assertThat(logged).extracting(java.util.logging.LogRecord::getMessage).filteredOn(m -> m.contains("Prometheus"))
                    .containsExactly("could not list Prometheus alerting rules (watching those listed before; said again "
                            + "only when this changes): {0}", "Prometheus lists its alerting rules again");
            awaitStored(ingestor);
            assertThat(openIncidents(store)).as("HighLatency is still outside its band; QueueBacklog's rule is gone")
                    .singleElement().satisfies(i -> assertThat(i.title()).contains("alert:HighLatency"));
            for (int i = 111; i <= 120; i++) {
                metrics.add("latency", api, T0.plus(STEP.multipliedBy(i)), 100);
            }
            clock.set(T0.plus(STEP.multipliedBy(120)));
            after.tick();
            awaitStored(ingestor);
        } finally {
            prometheus.stop();
        }
        assertThat(openIncidents(store)).as("the taken-up episode ends when latency is back in its band").isEmpty();
        List<Event> resolves = store.findEvents(EventQuery.all("t1", 100)).items().stream()
                .filter(e -> e.status() == io.onloop.domain.event.EventStatus.RESOLVED).toList();
        assertThat(resolves).extracting(Event::title).containsExactlyInAnyOrder(
                "Anomaly in alert:HighLatency (pod=api-1)", "No longer watched: alert:QueueBacklog");
        assertThat(resolves).filteredOn(e -> e.title().startsWith("No longer")).singleElement()
                .satisfies(e -> assertThat(e.summary()).contains("its alerting rule is no longer listed"));
    }

    @Test
    void aSeriesWatchedByAConfiguredWatchAndByRulesOpensOneIncidentPerAnomaly() throws Exception {
        var metrics = latencyAndQueueSpikingFromMinute101();
        var prometheus = new com.github.tomakehurst.wiremock.WireMockServer(
                com.github.tomakehurst.wiremock.core.WireMockConfiguration.options().dynamicPort());
        prometheus.start();
        var clock = new MutableClock(T0.plus(STEP.multipliedBy(100)));
        var store = new InMemoryEventStore();
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { })) {
            var rules = Optional.of(new io.onloop.adapters.prometheus.PrometheusMetricsQuery(
                    io.onloop.adapters.prometheus.PrometheusMetricsQuery.Settings.of(prometheus.baseUrl())));
            // latency is watched as configured and by two rules; the queue by a warning and a critical rule
            answerRules(prometheus, 200, rulesJson("HighLatency", "latency > 200", "LatencyCritical", "latency  >  400",
                    "QueueBacklog", "queue_depth > 200", "QueueBacklogCritical", "queue_depth > 1000"));
            var service = new AnomalyWatchService("prometheus", new MetricWatcher(metrics,
                    () -> new io.onloop.testkit.anomaly.ScoresAbove(200), SETTINGS), rules, List.of(latencyWatch("latency")),
                    STEP, Duration.ZERO, "t1", new EventNormalizer(EventLimits.DEFAULT), ingestor, store, clock,
                    new SimpleMeterRegistry());
            service.tick(); // learns
            clock.set(T0.plus(STEP.multipliedBy(110)));
            service.tick();
            awaitStored(ingestor);
        } finally {
            prometheus.stop();
        }
        assertThat(openIncidents(store)).extracting(io.onloop.domain.incident.Incident::title).containsExactlyInAnyOrder(
                "Anomaly in api-latency (pod=api-1)", "Anomaly in alert:QueueBacklog (queue=orders)");
    }

    @Test
    void anExhaustionWarningOpenAtARestartIsNotRaisedAgainByIt() throws Exception {
        var metrics = new InMemoryMetricsQuery();
        Map<String, String> pod = Map.of("__name__", "memory", "namespace", "shop", "pod", "api-1");
        for (int i = 0; i <= 50; i++) {
            metrics.add("memory", pod, T0.plus(STEP.multipliedBy(i)), 650 + 5 * i); // 25 minutes left at minute 45
        }
        var watch = new Watch("api-memory", "memory", STEP, Watch.Kind.EXHAUSTION, Severity.HIGH, 0.5, 1000.0, null,
                Duration.ofHours(1), Map.of());
        var clock = new MutableClock(T0.plus(STEP.multipliedBy(45)));
        var store = new InMemoryEventStore();
        var normalizer = new EventNormalizer(EventLimits.DEFAULT);
        try (var ingestor = new EventIngestor(new InMemoryEventJournal(), store,
                new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY), Long.MAX_VALUE, 100, events -> { })) {
            var before = new AnomalyWatchService("prometheus", new MetricWatcher(metrics, EnsembleDetector::new, SETTINGS),
                    Optional.empty(), List.of(watch), STEP, Duration.ZERO, "t1", normalizer, ingestor, store, clock,
                    new SimpleMeterRegistry());
            before.tick(); // says about 25 minutes
            awaitStored(ingestor);
            var after = new AnomalyWatchService("prometheus", new MetricWatcher(metrics, EnsembleDetector::new, SETTINGS),
                    Optional.empty(), List.of(watch), STEP, Duration.ZERO, "t1", normalizer, ingestor, store, clock,
                    new SimpleMeterRegistry());
            clock.set(T0.plus(STEP.multipliedBy(50)));
            after.tick(); // 20 minutes: not under half of what was said, so nothing to say
            awaitStored(ingestor);
        }
        assertThat(store.findEvents(EventQuery.all("t1", 100)).items()).extracting(Event::title)
                .singleElement().satisfies(t -> assertThat(t).startsWith("api-memory reaches its limit"));
        assertThat(openIncidents(store)).hasSize(1);
    }

    /** latency (pod api-1) and queue_depth (queue orders), about 100 for 100 minutes, then 300 up to minute 110. */
    private static InMemoryMetricsQuery latencyAndQueueSpikingFromMinute101() {
        var metrics = new InMemoryMetricsQuery();
        for (int i = 0; i <= 110; i++) {
            double v = i > 100 ? 300 : 100 + i % 3;
            metrics.add("latency", Map.of("__name__", "latency", "pod", "api-1"), T0.plus(STEP.multipliedBy(i)), v);
            metrics.add("queue_depth", Map.of("__name__", "queue_depth", "queue", "orders"), T0.plus(STEP.multipliedBy(i)), v);
        }
        return metrics;
    }

    private static void answerRules(com.github.tomakehurst.wiremock.WireMockServer prometheus, int status, String body) {
        prometheus.resetAll();
        prometheus.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/api/v1/rules")).willReturn(
                com.github.tomakehurst.wiremock.client.WireMock.aResponse().withStatus(status)
                        .withHeader("Content-Type", "application/json").withBody(body)));
    }

    /** Prometheus' {@code /api/v1/rules} answer with one group holding these alerting rules (name, query, ...). */
    private static String rulesJson(String... nameAndQuery) {
        List<String> rules = new java.util.ArrayList<>();
        for (int i = 0; i < nameAndQuery.length; i += 2) {
            rules.add("{\"type\":\"alerting\",\"name\":\"" + nameAndQuery[i] + "\",\"query\":\"" + nameAndQuery[i + 1]
                    + "\",\"duration\":0,\"labels\":{},\"annotations\":{},\"alerts\":[],\"health\":\"ok\"}");
        }
        return "{\"status\":\"success\",\"data\":{\"groups\":[{\"name\":\"shop\",\"file\":\"rules.yml\","
                + "\"interval\":60,\"rules\":[" + String.join(",", rules) + "]}]}}";
    }

    private static Watch latencyWatch(String query) {
        return new Watch("api-latency", query, STEP, Watch.Kind.ANOMALY, Severity.HIGH, 0.5, null, null, null, Map.of());
    }

    private static List<io.onloop.domain.incident.Incident> openIncidents(EventStore store) {
        return store.findIncidents(io.onloop.domain.store.IncidentQuery.all("t1", 100)).items().stream()
                .filter(io.onloop.domain.incident.Incident::isOpen).toList();
    }

    private static void awaitStored(EventIngestor ingestor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (ingestor.backlogBytes() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
