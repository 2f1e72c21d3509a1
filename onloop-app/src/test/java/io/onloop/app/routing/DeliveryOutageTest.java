package io.onloop.app.routing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.delivery.DeliveryWorker;
import io.onloop.adapters.delivery.Targets;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.RetryPolicy;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Notification;
import io.onloop.domain.routing.Receiver;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A webhook target goes down under load, first answering 503, then refusing connections while
 * onloop itself restarts, then comes back: every notification arrives, none twice, and each
 * thread's notifications arrive in order. Real outbox (H2 file), real HTTP server, real worker.
 */
class DeliveryOutageTest {
    private static final int THREADS = 40;
    private static final int PER_THREAD = 5;

    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters =
            new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    /** onloop_deliveries_total of ops/hook (a webhook) with this outcome. */
    private double deliveries(String outcome) {
        var counter = meters.find("onloop.deliveries").tags("tenant", "t1", "target", "ops/hook", "type", "webhook",
                "outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    private JdbcStores stores() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop") + ";LOCK_TIMEOUT=10000");
        ds.setUsername("sa");
        ds.setPassword("");
        ds.setMaximumPoolSize(8);
        open.add(ds);
        return JdbcStores.migrateAndOpen(ds);
    }

    private DeliveryWorker worker(JdbcStores stores, Receiver receiver) {
        CircuitBreakerConfig breaker = CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(5)
                .failureRateThreshold(50).waitDurationInOpenState(Duration.ofMillis(300))
                .permittedNumberOfCallsInHalfOpenState(1).build();
        DeliveryWorker w = new DeliveryWorker(stores.deliveryStore(), Targets.defaults(),
                (tenant, target) -> receiver.targets().stream().filter(t -> target.equals("ops/" + t.name())).findFirst(),
                new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400), 1000), breaker, Clock.systemUTC(), meters);
        open.add(w);
        w.start(Duration.ofMillis(50));
        return w;
    }

    private static Notification notification(int thread, int sequence) {
        Instant at = Instant.parse("2026-03-02T10:00:00Z").plusSeconds(sequence);
        var alert = new AlertSnapshot("fp" + thread, true, Severity.HIGH, "generic", "Alert " + thread, "",
                Resource.UNKNOWN, Map.of("alertname", "A" + thread), "", null, at, null);
        return new Notification("t1", "ops", "root", Map.of("alertname", "A" + thread),
                new UUID(7, thread).toString(), sequence, Notification.Status.FIRING, List.of(alert), List.of(), at, "");
    }

    @Test
    void aSlowTargetDelaysOnlyItsOwnDeliveries() throws Exception {
        WireMockServer hooks = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        hooks.start();
        open.add(hooks::stop);
        hooks.stubFor(post(urlEqualTo("/slow")).willReturn(aResponse().withStatus(200).withFixedDelay(6_000)));
        hooks.stubFor(post(urlEqualTo("/fast")).willReturn(aResponse().withStatus(200)));
        Receiver receiver = new Receiver("ops", List.of(
                new Receiver.Target("webhook", "slow", Map.of("url", "http://127.0.0.1:" + hooks.port() + "/slow")),
                new Receiver.Target("webhook", "fast", Map.of("url", "http://127.0.0.1:" + hooks.port() + "/fast"))));
        JdbcStores stores = stores();
        worker(stores, receiver);

        var toSlow = DeliveryWorker.deliveriesFor(notification(1, 1), receiver, Instant.now()).stream()
                .filter(d -> d.target().equals("ops/slow")).toList();
        stores.deliveryStore().enqueue(toSlow);
        Thread.sleep(1000); // the worker polls every 50 ms: the slow send is under way
        var toFast = DeliveryWorker.deliveriesFor(notification(2, 1), receiver, Instant.now()).stream()
                .filter(d -> d.target().equals("ops/fast")).toList();
        stores.deliveryStore().enqueue(toFast);

        // delivered while the slow target still has not answered (it takes 6 s)
        await().atMost(Duration.ofSeconds(4)).until(() ->
                stores.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, 10).size() == 1);
        assertThat(stores.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, 10))
                .singleElement().satisfies(d -> assertThat(d.target()).isEqualTo("ops/fast"));
        assertThat(stores.deliveryStore().deliveries("t1", DeliveryStatus.PENDING, 10))
                .singleElement().satisfies(d -> assertThat(d.target()).isEqualTo("ops/slow"));
    }

    @Test
    void aRetryNeverGoesToTheTargetThatTookThePlaceOfAnUnnamedOne() throws Exception {
        WireMockServer hooks = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        hooks.start();
        open.add(hooks::stop);
        hooks.stubFor(post(urlEqualTo("/team-a")).willReturn(aResponse().withStatus(503)));
        hooks.stubFor(post(urlEqualTo("/team-b")).willReturn(aResponse().withStatus(200)));
        var teamA = new Receiver.Target("webhook", "webhook-0", Map.of("url", "http://127.0.0.1:" + hooks.port() + "/team-a"));
        var teamB = new Receiver.Target("webhook", "webhook-0", Map.of("url", "http://127.0.0.1:" + hooks.port() + "/team-b"));
        JdbcStores stores = stores();
        var written = DeliveryWorker.deliveriesFor(notification(1, 1), new Receiver("ops", List.of(teamA)), Instant.now());
        stores.deliveryStore().enqueue(written);
        // the route file now has another unnamed target above: "webhook-0" is team B's, team A's is "webhook-1"
        worker(stores, new Receiver("ops", List.of(teamB,
                new Receiver.Target("webhook", "webhook-1", teamA.settings()))));

        await().atMost(Duration.ofSeconds(10)).until(() ->
                stores.deliveryStore().deliveries("t1", DeliveryStatus.DEAD, 10).size() == 1);
        assertThat(stores.deliveryStore().deliveries("t1", DeliveryStatus.DEAD, 10)).singleElement()
                .satisfies(d -> assertThat(d.lastError()).contains("another target in its place").contains("replay"));
        hooks.verify(0, postRequestedFor(urlEqualTo("/team-b")));

        // a replay is someone's decision to send it to the target now in that place
        stores.deliveryStore().replay("t1", written.getFirst().id(), Instant.now());
        await().atMost(Duration.ofSeconds(10)).until(() ->
                stores.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, 10).size() == 1);
        hooks.verify(1, postRequestedFor(urlEqualTo("/team-b")));
        // a target with a name of its own is that name, wherever its settings now point
        assertThat(DeliveryWorker.deliveriesFor(notification(2, 1), new Receiver("ops", List.of(
                new Receiver.Target("webhook", "team-a", teamA.settings()))), Instant.now()))
                .extracting(io.onloop.domain.delivery.Delivery::targetDigest).containsOnlyNulls();
    }

    @Test
    void slowTargetsTogetherCannotTakeEverySendSlot() throws Exception {
        // the slow targets hang until the test ends: no timing, the fast delivery must be made while they hang
        CountDownLatch hang = new CountDownLatch(1);
        WireMockServer hooks = new WireMockServer(WireMockConfiguration.options().dynamicPort().containerThreads(120)
                .extensions(new ResponseDefinitionTransformerV2() {
                    @Override
                    public ResponseDefinition transform(ServeEvent e) {
                        if (e.getRequest().getUrl().startsWith("/slow")) {
                            try {
                                hang.await();
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return e.getResponseDefinition();
                    }

                    @Override
                    public String getName() {
                        return "hang";
                    }
                }));
        hooks.start();
        open.add(hooks::stop);
        hooks.stubFor(post(urlPathMatching("/.*")).willReturn(aResponse().withStatus(200)));
        List<Receiver.Target> targets = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            targets.add(new Receiver.Target("webhook", "slow" + i,
                    Map.of("url", "http://127.0.0.1:" + hooks.port() + "/slow" + i)));
        }
        targets.add(new Receiver.Target("webhook", "fast", Map.of("url", "http://127.0.0.1:" + hooks.port() + "/fast")));
        Receiver receiver = new Receiver("ops", targets);
        JdbcStores stores = stores();
        worker(stores, receiver);
        open.add(hang::countDown); // closed first: the hanging sends answer, so the worker can stop

        // 20 groups to four slow targets: 80 deliveries, more than the worker's 64 slots; then one to the fast target
        List<io.onloop.domain.delivery.Delivery> toSlow = new ArrayList<>();
        for (int t = 0; t < 20; t++) {
            DeliveryWorker.deliveriesFor(notification(t, 1), receiver, Instant.now()).stream()
                    .filter(d -> d.target().startsWith("ops/slow")).forEach(toSlow::add);
        }
        stores.deliveryStore().enqueue(toSlow);
        stores.deliveryStore().enqueue(DeliveryWorker.deliveriesFor(notification(20, 1), receiver, Instant.now())
                .stream().filter(d -> d.target().equals("ops/fast")).toList());

        await().atMost(Duration.ofSeconds(15)).until(() ->
                stores.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, 10).size() == 1);
        assertThat(stores.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, 10))
                .singleElement().satisfies(d -> assertThat(d.target()).isEqualTo("ops/fast"));
        // each slow target has only its few sends under way
        Map<String, Integer> bySlow = new HashMap<>();
        hooks.getAllServeEvents().stream().map(e -> e.getRequest().getUrl()).filter(u -> u.startsWith("/slow"))
                .forEach(u -> bySlow.merge(u, 1, Integer::sum));
        assertThat(bySlow.values()).allSatisfy(n -> assertThat(n).isBetween(1, 4));
    }

    @Test
    void aDeliveryThatGoesDeadSaysSoInTheLogWithoutItsTargetsUrl() throws Exception {
        var capture = io.onloop.testkit.LogCapture.of(DeliveryWorker.class);
        open.add(capture);
        List<java.util.logging.LogRecord> logged = capture.records();
        WireMockServer hook = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        hook.start();
        open.add(hook::stop);
        hook.stubFor(post(urlPathMatching("/hook/.*")).willReturn(aResponse().withStatus(400).withBody("bad request")));
        Receiver receiver = new Receiver("ops", List.of(new Receiver.Target("webhook", "hook",
                Map.of("url", "http://127.0.0.1:" + hook.port() + "/hook/s3cret-token"))));
        JdbcStores stores = stores();
        worker(stores, receiver);
        UUID incident = new UUID(9, 9);
        Notification n = notification(1, 1);
        AlertSnapshot a = n.firing().getFirst();
        n = new Notification(n.tenantId(), n.receiver(), n.routeKey(), n.groupLabels(), n.threadKey(), 1, n.status(),
                List.of(new AlertSnapshot(a.fingerprint(), true, a.severity(), a.source(), a.title(), a.summary(),
                        a.resource(), a.labels(), a.link(), incident, a.startsAt(), null)), List.of(), n.at(), "");
        stores.deliveryStore().enqueue(DeliveryWorker.deliveriesFor(n, receiver, Instant.now()));

        await().atMost(Duration.ofSeconds(10)).until(() -> logged.stream().anyMatch(r -> r.getMessage().contains("dead")));
        assertThat(stores.deliveryStore().deliveries("t1", DeliveryStatus.DEAD, 10)).hasSize(1);
        assertThat(deliveries("dead")).isEqualTo(1);
        assertThat(deliveries("delivered") + deliveries("retry")).isZero();
        assertThat(meters.get("onloop.delivery.send").tags("target", "ops/hook").timer().count()).isEqualTo(1);
        assertThat(logged).filteredOn(r -> r.getMessage().contains("dead")).singleElement().satisfies(r -> {
            assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
            assertThat(r.getMessage()).contains("to ops/hook (webhook)", "after 1 attempt", incident.toString(),
                    "HTTP 400: bad request").doesNotContain("s3cret");
        });
    }

    @Test
    void everyNotificationArrivesOnceAndInOrderAfterTheTargetComesBack() throws Exception {
        WireMockServer hook = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        hook.start();
        int port = hook.port();
        hook.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(503).withHeader("Retry-After", "0")));
        Receiver receiver = new Receiver("ops", List.of(new Receiver.Target("webhook", "hook",
                Map.of("url", "http://127.0.0.1:" + port + "/hook"))));

        JdbcStores stores = stores();
        DeliveryWorker first = worker(stores, receiver);
        // load arrives while the target answers 503: each group's notifications in the order routing wrote them
        for (int seq = 1; seq <= PER_THREAD; seq++) {
            for (int t = 0; t < THREADS; t++) {
                stores.deliveryStore().enqueue(DeliveryWorker.deliveriesFor(notification(t, seq), receiver, Instant.now()));
            }
            Thread.sleep(100);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> hook.getAllServeEvents().size() >= 5);
        // after 5 failures the circuit opens: the target sees a probe now and then, not the whole load
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.circuit("t1", "ops/hook").name().equals("CLOSED"));
        Thread.sleep(1000);
        List<ServeEvent> outage = new ArrayList<>(hook.getAllServeEvents());
        assertThat(outage).allSatisfy(e -> assertThat(e.getResponse().getStatus()).isEqualTo(503));
        // 200 notifications, each retried: without the breaker the target would see hundreds of calls.
        // (Not fewer than THREADS: on a loaded 2-core CI machine the workers get more in before it opens.)
        assertThat(outage.size()).isLessThan(THREADS * PER_THREAD / 2);

        // the target now refuses connections, and onloop restarts meanwhile
        hook.stop();
        first.close(); // onloop stops; what it claimed but did not finish comes back when the lease lapses
        open.remove(first);
        Thread.sleep(500);
        assertThat(stores.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, 10)).isEmpty();

        JdbcStores reopened = stores();
        DeliveryWorker second = worker(reopened, receiver);
        Thread.sleep(1000);
        WireMockServer back = new WireMockServer(WireMockConfiguration.options().port(port));
        back.stubFor(post(urlEqualTo("/hook")).willReturn(aResponse().withStatus(200)));
        back.start();
        open.add(back::stop);
        open.add(hook::stop);

        int total = THREADS * PER_THREAD;
        await().atMost(Duration.ofSeconds(60)).until(() ->
                reopened.deliveryStore().deliveries("t1", DeliveryStatus.DELIVERED, total + 1).size() == total);
        List<ServeEvent> ok = back.getAllServeEvents().stream().filter(e -> e.getResponse().getStatus() == 200).toList();
        // what the metrics said meanwhile: every one delivered once, after retries and an open circuit
        assertThat(deliveries("delivered")).isEqualTo(total);
        assertThat(deliveries("retry")).isGreaterThanOrEqualTo(outage.size());
        assertThat(deliveries("circuit-open")).isPositive();
        assertThat(deliveries("dead")).isZero();
        Map<String, Integer> byKey = new HashMap<>();
        Map<String, List<Integer>> orderByThread = new HashMap<>();
        for (ServeEvent e : ok.reversed()) { // WireMock lists newest first
            String key = e.getRequest().getHeader("Idempotency-Key");
            byKey.merge(key, 1, Integer::sum);
            String[] parts = key.split("#");
            orderByThread.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        assertThat(byKey).hasSize(total);
        assertThat(byKey.values()).allMatch(n -> n == 1);
        assertThat(orderByThread).hasSize(THREADS).allSatisfy((thread, seqs) ->
                assertThat(seqs).containsExactly(1, 2, 3, 4, 5));
        assertThat(reopened.deliveryStore().deliveries("t1", DeliveryStatus.DEAD, 10)).isEmpty();
        assertThat(reopened.deliveryStore().deliveries("t1", DeliveryStatus.PENDING, 10)).isEmpty();
        assertThat(second.circuit("t1", "ops/hook").name()).isEqualTo("CLOSED");
    }
}
