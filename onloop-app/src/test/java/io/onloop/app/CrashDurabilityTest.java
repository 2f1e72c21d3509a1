package io.onloop.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Anything accepted with 2xx is durable", against a killed process rather than a graceful shutdown:
 * onloop runs as a child JVM, takes Alertmanager webhooks from 8 threads, and is killed with SIGKILL
 * (no shutdown hooks, no pool close, no H2 close) while requests are in flight. After a restart on the
 * same data directory every event id that was answered with 202 must be readable, and no alert may
 * be stored twice. A kill usually lands while accepted events are still waiting in the journal, so
 * the restart also proves they are applied from it exactly once.
 */
class CrashDurabilityTest {
    private static final String ADMIN_TOKEN = "olt_crash-" + UUID.randomUUID();
    private static final String ALERTNAME = "CrashDurability";
    private static final int THREADS = 8;
    private static final int MAX_REQUESTS = 3000;
    private static final int KILL_AFTER_ACCEPTED = 1000;
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;
    private Process child;
    private Path log;

    @AfterEach
    void killChild() throws InterruptedException {
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyEventAnswered202SurvivesAKill() throws Exception {
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        String base = start(dataDir, "first");
        String sourceToken = json(send(post(base + "/api/v1/sources", ADMIN_TOKEN,
                "{\"format\":\"alertmanager\",\"name\":\"crash\"}")), 201).get("token").asString();

        // instance label -> event id of every 202
        Map<String, UUID> accepted = new ConcurrentHashMap<>();
        AtomicInteger tickets = new AtomicInteger();
        AtomicInteger otherAnswers = new AtomicInteger();
        AtomicInteger failedSends = new AtomicInteger();
        AtomicBoolean killed = new AtomicBoolean();
        List<String> unexpected = new java.util.concurrent.CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        try (ExecutorService senders = Executors.newFixedThreadPool(THREADS)) {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                running.add(senders.submit(() -> {
                    int n;
                    while ((n = tickets.getAndIncrement()) < MAX_REQUESTS) {
                        String instance = "crash-" + n;
                        HttpResponse<String> response;
                        try {
                            response = send(post(base + "/api/v1/ingest/alertmanager", sourceToken,
                                    Payloads.alertmanager("firing", ALERTNAME, instance)));
                        } catch (IOException e) {
                            failedSends.incrementAndGet();
                            if (killed.get()) {
                                return null; // the server is gone: this sender is done
                            }
                            continue;
                        }
                        if (response.statusCode() == 202) {
                            JsonNode ids = Http.JSON.readTree(response.body()).get("eventIds");
                            assertThat(ids.size()).as(response.body()).isEqualTo(1);
                            accepted.put(instance, UUID.fromString(ids.get(0).asString()));
                        } else {
                            otherAnswers.incrementAndGet();
                            if (response.statusCode() != 503) {
                                unexpected.add(response.statusCode() + " " + response.body());
                            }
                        }
                    }
                    return null;
                }));
            }
            // kill while the senders are still going
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (accepted.size() < KILL_AFTER_ACCEPTED && tickets.get() < MAX_REQUESTS && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            int acceptedAtKill = accepted.size();
            int sentAtKill = Math.min(tickets.get(), MAX_REQUESTS);
            killed.set(true);
            child.destroyForcibly(); // SIGKILL
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).as("child died").isTrue();
            for (Future<?> f : running) {
                f.get(60, TimeUnit.SECONDS); // each request has a 30 s timeout; a dead server refuses at once
            }
            System.out.printf("crash test: %d accepted when killed (%d requests started) after %d ms; %d accepted in all,"
                            + " %d other answers, %d failed sends%n", acceptedAtKill, sentAtKill,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), accepted.size(), otherAnswers.get(),
                    failedSends.get());
            assertThat(acceptedAtKill).as("accepted before the kill; log:%n%s", tail()).isGreaterThanOrEqualTo(KILL_AFTER_ACCEPTED);
            assertThat(sentAtKill).as("the kill came while senders were still busy").isLessThan(MAX_REQUESTS);
            assertThat(failedSends.get()).as("requests cut off by the kill").isPositive();
        }
        assertThat(unexpected).as("answers other than 202 and 503").isEmpty();
        assertThat(Set.copyOf(accepted.values())).as("distinct event ids").hasSize(accepted.size());

        String after = start(dataDir, "second");
        // every 202 survived, as the very event that was sent
        List<String> missing = new java.util.concurrent.CopyOnWriteArrayList<>();
        long appliedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (ExecutorService readers = Executors.newFixedThreadPool(4)) {
            List<Future<?>> reads = new ArrayList<>();
            for (var e : accepted.entrySet()) {
                reads.add(readers.submit(() -> {
                    // accepted means journaled: after the restart the applier stores what it had not yet
                    HttpResponse<String> r = send(get(after + "/api/v1/events/" + e.getValue()));
                    while (r.statusCode() == 404 && System.nanoTime() < appliedBy) {
                        Thread.sleep(50);
                        r = send(get(after + "/api/v1/events/" + e.getValue()));
                    }
                    if (r.statusCode() != 200) {
                        missing.add(e.getKey() + " " + e.getValue() + ": " + r.statusCode());
                    } else {
                        JsonNode event = Http.JSON.readTree(r.body());
                        if (!e.getKey().equals(event.get("labels").get("instance").asString())) {
                            missing.add(e.getKey() + " " + e.getValue() + ": another event " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : reads) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(missing).as("events answered 202 but not readable after the restart (of %d)", accepted.size()).isEmpty();

        // and nothing is stored twice: walk every stored event of this test
        Map<String, Integer> perInstance = new HashMap<>();
        Set<String> ids = new HashSet<>();
        String cursor = null;
        for (int page = 0; page < 20; page++) {
            String url = after + "/api/v1/events?limit=500&label=alertname=" + ALERTNAME
                    + (cursor == null ? "" : "&cursor=" + java.net.URLEncoder.encode(cursor, java.nio.charset.StandardCharsets.UTF_8));
            JsonNode body = json(send(get(url)), 200);
            for (JsonNode event : body.get("items")) {
                assertThat(ids.add(event.get("id").asString())).as("event listed twice: %s", event).isTrue();
                perInstance.merge(event.get("labels").get("instance").asString(), 1, Integer::sum);
            }
            JsonNode next = body.get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
            if (cursor == null) {
                break;
            }
        }
        assertThat(cursor).as("paging ended").isNull();
        assertThat(perInstance).as("alerts stored more than once").allSatisfy((instance, count) -> assertThat(count).isEqualTo(1));
        assertThat(ids).containsAll(accepted.values().stream().map(UUID::toString).toList());
        assertThat(ids.size()).as("stored events (some answered nothing before the kill)")
                .isBetween(accepted.size(), Math.min(tickets.get(), MAX_REQUESTS));
    }

    /** Starts onloop as a child JVM on a free loopback port; returns its base URL once healthy. */
    private String start(Path dataDir, String name) throws IOException, InterruptedException {
        int port;
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket socket = new ServerSocket(0, 1, loopback)) {
            port = socket.getLocalPort();
        }
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        log = dir.resolve(name + ".log");
        child = new ProcessBuilder(java, "-Xmx512m", "-XX:+UseSerialGC", "-Xshare:auto",
                "-cp", System.getProperty("java.class.path"), OnloopApplication.class.getName(),
                "--server.address=" + loopback.getHostAddress(), "--server.port=" + port,
                "--onloop.data-dir=" + dataDir, "--onloop.bootstrap.admin-token=" + ADMIN_TOKEN)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        String base = "http://" + loopback.getHostAddress() + ":" + port;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("onloop (%s start) exited; log:%n%s", name, tail()).isTrue();
            try {
                if (send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).timeout(Duration.ofSeconds(5))
                        .GET().build()).statusCode() == 200) {
                    return base;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("onloop (" + name + " start) not healthy within 90 s; log:\n" + tail());
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static HttpRequest post(String url, String token, String json) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build();
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> response, int expected) {
        assertThat(response.statusCode()).as("status of %s %s", response.uri(), response.body()).isEqualTo(expected);
        try {
            return Http.JSON.readTree(response.body());
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("not JSON: " + response.body(), e));
        }
    }
}
