package io.onloop.bench.routing;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.onloop.adapters.delivery.RoutesYaml;
import io.onloop.adapters.delivery.Targets;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.routing.AlertSnapshot;
import io.onloop.domain.routing.Dispatcher;
import io.onloop.domain.routing.Notification;
import io.onloop.domain.routing.RoutingConfig;
import io.onloop.domain.routing.RoutingLabels;
import io.onloop.domain.store.EventStore;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Noise replay: one seeded alert storm through onloop's routing and, in the same run, through a
 * real Prometheus Alertmanager with the equivalent configuration, its webhook receiver pointing at
 * a local counting HTTP server.
 * <pre>
 * java -cp ... io.onloop.bench.routing.NoiseReplayBench [seed] [problems] [speedup] [alertmanager binary]
 * </pre>
 * onloop runs on simulated time (the hour takes a few seconds). Alertmanager cannot: it runs in
 * real time with every duration of its configuration divided by {@code speedup} (default 60, so
 * the hour takes a minute), and alerts are posted at their storm time divided the same way.
 */
public final class NoiseReplayBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The one configuration both run, written Alertmanager's way; durations in seconds. */
    static final int GROUP_WAIT = 30;
    static final int GROUP_INTERVAL = 300;
    static final int REPEAT_INTERVAL = 4 * 3600;

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 42;
        int problemCount = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int speedup = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        String binary = args.length > 3 ? args[3] : "/usr/bin/prometheus-alertmanager";

        AlertStorm storm = new AlertStorm(seed, problemCount);
        int raw = storm.events.size();
        long firingEvents = storm.events.stream().filter(t -> t.event().status() == EventStatus.FIRING).count();
        System.out.printf("storm: seed %d, %d problems, %d raw events (%d firing, %d resolved) over %d s simulated%n",
                seed, problemCount, raw, firingEvents, raw - firingEvents, AlertStorm.HOUR);

        Result onloop = onloop(storm);
        Result am = alertmanager(storm, speedup, binary);

        System.out.println();
        System.out.println("| system | raw events | incidents / groups | notifications | notifications / raw | problems notified |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (Result r : List.of(onloop, am)) {
            System.out.printf("| %s | %d | %d | %d | %.2f%% | %d / %d |%n", r.name, raw, r.incidents, r.notifications,
                    100.0 * r.notifications / raw, r.problemsNotified.size(), problemCount);
        }
        Set<String> missing = new TreeSet<>();
        storm.problems.forEach(p -> {
            if (!onloop.problemsNotified.contains(p.id())) {
                missing.add(p.id());
            }
        });
        System.out.println(missing.isEmpty() ? "onloop: every distinct problem got at least one notification"
                : "onloop: problems never notified: " + missing);
        boolean target = onloop.notifications <= raw * 0.05 && missing.isEmpty();
        System.out.println("target (notifications <= 5% of raw events, no problem unnotified): "
                + (target ? "met" : "NOT met"));
    }

    record Result(String name, int incidents, int notifications, Set<String> problemsNotified) {
    }

    static String routesYaml(String webhookUrl, int speedup) {
        return """
                route:
                  receiver: team
                  group_by: [alertname, service]
                  group_wait: %s
                  group_interval: %s
                  repeat_interval: %s
                receivers:
                  - name: team
                    %s
                """.formatted(ms(GROUP_WAIT, speedup), ms(GROUP_INTERVAL, speedup), ms(REPEAT_INTERVAL, speedup),
                webhookUrl == null ? "targets: [{type: webhook, settings: {url: \"http://127.0.0.1:9/\"}}]"
                        : "webhook_configs: [{url: \"" + webhookUrl + "\", send_resolved: true}]");
    }

    private static String ms(int seconds, int speedup) {
        return (seconds * 1000L / speedup) + "ms";
    }

    /** onloop: incidents through the real store (H2), notifications through the dispatcher, on simulated time. */
    static Result onloop(AlertStorm storm) throws IOException {
        RoutingConfig config = new RoutesYaml(Targets.descriptors(Targets.defaults())).parse(routesYaml(null, 1));
        Dispatcher dispatcher = new Dispatcher(t -> new Dispatcher.TenantRules(config, List.of()));
        Path dir = Files.createTempDirectory("onloop-noise");
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("onloop") + ";LOCK_TIMEOUT=10000");
        cfg.setUsername("sa");
        cfg.setPassword("");
        cfg.setMaximumPoolSize(2);
        int notifications = 0;
        Set<String> covered = new HashSet<>();
        long started = System.nanoTime();
        int incidents;
        try (HikariDataSource ds = new HikariDataSource(cfg)) {
            EventStore store = JdbcStores.migrateAndOpen(ds).eventStore();
            IncidentGrouping grouping = new IncidentGrouping(new GroupingPolicy(List.of("alertname", "service"),
                    Duration.ofHours(1), Duration.ofSeconds(GROUP_WAIT), Duration.ofSeconds(GROUP_INTERVAL)));
            int i = 0;
            List<AlertStorm.Timed> all = storm.events;
            for (int second = 0; second <= AlertStorm.HOUR + 2 * GROUP_INTERVAL; second++) {
                List<Event> batch = new ArrayList<>();
                while (i < all.size() && all.get(i).second() == second) {
                    batch.add(all.get(i++).event());
                }
                Instant now = AlertStorm.START.plusSeconds(second);
                if (!batch.isEmpty()) {
                    List<Event> stored = store.inTransaction(tx -> batch.stream().map(e -> grouping.apply(tx, e)).toList());
                    stored.forEach(e -> dispatcher.accept(e, now));
                }
                for (Notification n : dispatcher.flush(now)) {
                    notifications++;
                    n.firing().stream().map(AlertSnapshot::labels).forEach(l -> covered.add(l.get("problem")));
                }
            }
            incidents = 0;
            String cursor = null;
            do {
                var page = store.findIncidents(new IncidentQuery("bench", null, null, null, null, null, null, null,
                        null, 500, cursor));
                incidents += page.items().size();
                cursor = page.nextCursor();
            } while (cursor != null);
        }
        System.out.printf("onloop: %d incidents, %d notifications (%.1f s wall for the simulated hour)%n", incidents,
                notifications, (System.nanoTime() - started) / 1e9);
        return new Result("onloop", incidents, notifications, covered);
    }

    /** Alertmanager 0.25 from Debian, its webhook pointing at a counting server, at {@code speedup}× real time. */
    static Result alertmanager(AlertStorm storm, int speedup, String binary) throws Exception {
        List<JsonNode> received = new CopyOnWriteArrayList<>();
        HttpServer counter = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        counter.createContext("/", ex -> {
            received.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        counter.start();
        Path dir = Files.createTempDirectory("am-noise");
        int port = freePort();
        String config = routesYaml("http://127.0.0.1:" + counter.getAddress().getPort() + "/", speedup);
        Files.writeString(dir.resolve("alertmanager.yml"), config);
        Process am = new ProcessBuilder(binary, "--config.file=" + dir.resolve("alertmanager.yml"),
                "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                "--cluster.listen-address=").redirectErrorStream(true).redirectOutput(dir.resolve("am.log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        URI alerts = URI.create("http://127.0.0.1:" + port + "/api/v2/alerts");
        try {
            waitReady(http, port);
            long t0 = System.nanoTime();
            int i = 0;
            List<AlertStorm.Timed> all = storm.events;
            while (i < all.size()) {
                int second = all.get(i).second();
                long due = t0 + second * 1_000_000_000L / speedup;
                long sleep = due - System.nanoTime();
                if (sleep > 0) {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                }
                ArrayNode batch = JSON.createArrayNode();
                while (i < all.size() && all.get(i).second() == second) {
                    batch.add(amAlert(all.get(i++).event()));
                }
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(alerts).header("Content-Type",
                        "application/json").POST(HttpRequest.BodyPublishers.ofString(batch.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("alertmanager refused alerts: " + r.statusCode() + " " + r.body());
                }
            }
            // the storm's last events, then enough group intervals for the last resolved notifications
            Thread.sleep((long) (2.5 * GROUP_INTERVAL * 1000 / speedup) + 2000);
        } finally {
            am.destroy();
            am.waitFor();
            counter.stop(0);
        }
        Set<String> groups = new HashSet<>();
        Set<String> covered = new HashSet<>();
        for (JsonNode n : received) {
            groups.add(n.path("groupKey").asString());
            for (JsonNode a : n.path("alerts")) {
                if (a.path("status").asString().equals("firing")) {
                    covered.add(a.path("labels").path("problem").asString());
                }
            }
        }
        System.out.printf("alertmanager: %d groups, %d notifications%n", groups.size(), received.size());
        return new Result("Alertmanager 0.25 (" + speedup + "× real time)", groups.size(), received.size(), covered);
    }

    /** Alertmanager's own alert shape; firing alerts get an end far ahead (they are re-sent while firing). */
    private static ObjectNode amAlert(Event e) {
        ObjectNode a = JSON.createObjectNode();
        ObjectNode labels = a.putObject("labels");
        RoutingLabels.of(e).forEach(labels::put);
        a.putObject("annotations").put("summary", e.title());
        Instant now = Instant.now();
        if (e.status() == EventStatus.RESOLVED) {
            a.put("endsAt", now.toString());
        } else {
            a.put("endsAt", now.plus(Duration.ofHours(1)).toString());
        }
        return a;
    }

    private static void waitReady(HttpClient http, int port) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + port + "/-/ready");
        for (int i = 0; i < 100; i++) {
            try {
                if (http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("alertmanager did not become ready on port " + port);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
