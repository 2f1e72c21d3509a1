package io.onloop.app.anomaly;

import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.app.Http;
import io.onloop.app.OnloopApplication;
import io.onloop.testkit.prometheus.RealPrometheus;
import io.onloop.testkit.prometheus.TextExporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the Debian {@code prometheus} scrapes a test exporter every second; onloop, as the
 * real app (own context, embedded H2), watches a latency series for anomalies (with ten minutes of
 * history written before Prometheus started, so the detector has learned it) and a memory series
 * for exhaustion towards a limit another series gives. A level shift and a leak become incidents
 * through the ingest pipeline, and close again when the metrics recover. Also watches the series
 * behind a Prometheus alerting rule. Skipped without the {@code prometheus} package, except with CI=true.
 */
@SpringBootTest(classes = OnloopApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its watcher would go on ticking against the stopped Prometheus while later test classes run
class AnomalyEndToEndTest {
    static final String ADMIN = "olt_anomaly-e2e-admin-token";
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final AtomicBoolean SPIKE = new AtomicBoolean();
    static final AtomicBoolean LEAK_FIXED = new AtomicBoolean();
    static volatile long leakStartMillis;
    static TextExporter exporter;
    static RealPrometheus prometheus;

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    /** A latency that wobbles around 100 ms, the same function of time in the history and live. */
    static double latency(long epochSecond) {
        return 0.1 + 0.01 * Math.sin(epochSecond * 2 * Math.PI / 17) + 0.004 * Math.sin(epochSecond * 2 * Math.PI / 5);
    }

    @BeforeAll
    static void startPrometheus() {
        leakStartMillis = System.currentTimeMillis();
        exporter = TextExporter.start()
                .gauge("onloop_e2e_latency_seconds{service=\"checkout\"}",
                        () -> SPIKE.get() ? 0.9 : latency(Instant.now().getEpochSecond()))
                // 4 MB a second from 500 MB: the 1 GB limit is about two minutes away
                .gauge("onloop_e2e_memory_bytes{service=\"checkout\"}",
                        () -> LEAK_FIXED.get() ? 300e6 : 500e6 + 4e6 * (System.currentTimeMillis() - leakStartMillis) / 1000.0)
                .gauge("onloop_e2e_memory_limit_bytes{service=\"checkout\"}", () -> 1e9);
        prometheus = RealPrometheus.start(List.of(exporter.target()), """
                groups:
                  - name: checkout
                    rules:
                      - alert: CheckoutSlow
                        expr: onloop_e2e_latency_seconds{service="checkout"} > 2
                        labels: {severity: critical}
                """, history());
    }

    /** Ten minutes of the latency, one point a second, ending now. */
    static String history() {
        long now = Instant.now().getEpochSecond();
        StringBuilder om = new StringBuilder("# TYPE onloop_e2e_latency_seconds gauge\n");
        for (long t = now - 600; t < now; t++) {
            om.append("onloop_e2e_latency_seconds{instance=\"").append(exporter.target())
                    .append("\",job=\"test\",service=\"checkout\"} ").append(latency(t)).append(' ').append(t).append('\n');
        }
        return om.append("# EOF\n").toString();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        r.add("onloop.data-dir", AnomalyEndToEndTest::tempDir);
        r.add("onloop.bootstrap.admin-token", () -> ADMIN);
        r.add("onloop.anomaly.prometheus.url", () -> prometheus.url());
        r.add("onloop.anomaly.tick", () -> "1s");
        r.add("onloop.anomaly.history", () -> "15m");
        r.add("onloop.anomaly.watch-alert-rules", () -> "true");
        r.add("onloop.anomaly.alert-rule-step", () -> "1s");
        r.add("onloop.anomaly.watches[0].name", () -> "checkout-latency");
        r.add("onloop.anomaly.watches[0].query", () -> "onloop_e2e_latency_seconds");
        r.add("onloop.anomaly.watches[0].step", () -> "1s");
        r.add("onloop.anomaly.watches[0].labels.team", () -> "payments");
        r.add("onloop.anomaly.watches[1].name", () -> "checkout-memory");
        r.add("onloop.anomaly.watches[1].kind", () -> "exhaustion");
        r.add("onloop.anomaly.watches[1].query", () -> "onloop_e2e_memory_bytes");
        r.add("onloop.anomaly.watches[1].limit-query", () -> "onloop_e2e_memory_limit_bytes");
        r.add("onloop.anomaly.watches[1].horizon", () -> "10m");
        r.add("onloop.anomaly.watches[1].step", () -> "1s");
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (exporter != null) {
            exporter.close();
        }
    }

    @Test
    void aLevelShiftAndALeakBecomeIncidentsAndCloseWhenTheMetricsRecover() {
        Http http = new Http(port);
        // the first tick learns the history; the spike must come after it
        await("first ticks", Duration.ofSeconds(20), () -> meters.counter("onloop.anomaly.ticks", "backend", "prometheus").count() >= 3);
        SPIKE.set(true);

        JsonNode anomaly = awaitIncident(http, i -> i.get("title").asString().startsWith("Anomaly in checkout-latency"), "open");
        JsonNode ruleAnomaly = awaitIncident(http, i -> i.get("title").asString().startsWith("Anomaly in alert:CheckoutSlow"), "open");
        JsonNode leak = awaitIncident(http, i -> i.get("title").asString().startsWith("checkout-memory reaches its limit"), "open");

        assertThat(anomaly.get("source").asString()).isEqualTo("onloop");
        assertThat(anomaly.get("resource").get("id").asString()).isEqualTo(exporter.target());
        JsonNode anomalyEvent = firstEvent(http, anomaly);
        assertThat(anomalyEvent.get("labels").get("watch").asString()).isEqualTo("checkout-latency");
        assertThat(anomalyEvent.get("labels").get("detector").asString()).isEqualTo("anomaly");
        assertThat(anomalyEvent.get("labels").get("team").asString()).isEqualTo("payments");
        assertThat(anomalyEvent.get("labels").get("service").asString()).isEqualTo("checkout");
        assertThat(anomalyEvent.get("summary").asString()).startsWith("Observed 0.9000, expected 0.0");
        JsonNode evidence = JSON.readTree(anomalyEvent.get("rawPayload").asString());
        assertThat(evidence.get("observed").asDouble()).isEqualTo(0.9);
        assertThat(evidence.get("expected").get("high").asDouble()).isBetween(0.1, 0.2);
        assertThat(evidence.get("score").asDouble()).isGreaterThanOrEqualTo(0.5);
        assertThat(evidence.get("chart").size()).isBetween(10, 60);

        JsonNode ruleEvent = firstEvent(http, ruleAnomaly);
        assertThat(ruleEvent.get("labels").get("alert_rule").asString()).isEqualTo("CheckoutSlow");
        assertThat(JSON.readTree(ruleEvent.get("rawPayload").asString()).get("query").asString())
                .isEqualTo("onloop_e2e_latency_seconds{service=\"checkout\"}");

        JsonNode leakEvent = firstEvent(http, leak);
        JsonNode forecast = JSON.readTree(leakEvent.get("rawPayload").asString());
        assertThat(forecast.get("limit").asDouble()).isEqualTo(1e9);
        long eta = forecast.get("eta_seconds").get("expected").asLong();
        assertThat(eta).isBetween(30L, 160L);
        // the watch's high, one level up within a quarter of its 10 m horizon
        assertThat(leakEvent.get("severity").asString()).isEqualTo(eta <= 150 ? "critical" : "high");
        assertThat(forecast.get("eta_seconds").get("earliest").asLong()).isLessThanOrEqualTo(eta);
        assertThat(forecast.get("eta_seconds").get("latest").asLong()).isGreaterThanOrEqualTo(eta);

        // recovery: the latency returns to normal, the leak is fixed
        SPIKE.set(false);
        LEAK_FIXED.set(true);
        awaitIncident(http, i -> i.get("id").asString().equals(anomaly.get("id").asString()), "resolved");
        awaitIncident(http, i -> i.get("id").asString().equals(leak.get("id").asString()), "resolved");
        assertThat(meters.counter("onloop.anomaly.events", "backend", "prometheus", "detector", "exhaustion", "status", "resolved").count()).isEqualTo(1);
        assertThat(meters.counter("onloop.anomaly.query.failures", "backend", "prometheus").count()).isZero();
    }

    private static JsonNode firstEvent(Http http, JsonNode incident) {
        JsonNode detail = http.get("/api/v1/incidents/" + incident.get("id").asString()).bearer(ADMIN).send().expect(200).json();
        String eventId = detail.get("events").get(detail.get("events").size() - 1).get("id").asString();
        return http.get("/api/v1/events/" + eventId).bearer(ADMIN).send().expect(200).json();
    }

    private static JsonNode awaitIncident(Http http, Predicate<JsonNode> which, String status) {
        JsonNode[] found = new JsonNode[1];
        await("an incident, " + status, Duration.ofSeconds(45), () -> {
            JsonNode items = http.get("/api/v1/incidents?source=onloop&limit=100").bearer(ADMIN).send().expect(200).json().get("items");
            Optional<JsonNode> match = items.valueStream().filter(which).filter(i -> i.get("status").asString().equals(status)).findFirst();
            match.ifPresent(m -> found[0] = m);
            return match.isPresent();
        });
        return found[0];
    }

    private static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; prometheus log:\n" + prometheus.log());
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String tempDir() {
        try {
            return Files.createTempDirectory("onloop-anomaly-e2e").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
