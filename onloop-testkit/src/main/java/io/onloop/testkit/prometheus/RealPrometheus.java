package io.onloop.testkit.prometheus;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * The real Prometheus server from the Debian package {@code prometheus} (which {@code .ci/run}
 * installs), started on a free loopback port with a throw-away data directory, scraping the given
 * targets every second. Without the binary the calling test is skipped, except with {@code CI=true},
 * where it fails.
 */
public final class RealPrometheus implements AutoCloseable {
    private static final List<String> BINARIES = List.of("/usr/bin/prometheus", "/usr/local/bin/prometheus");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final int port;

    private RealPrometheus(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Scrapes {@code targets} ({@code host:port}) every second. */
    public static RealPrometheus start(List<String> targets) {
        return start(targets, null, null);
    }

    /**
     * @param targets   scrape targets, {@code host:port}, scraped every second at {@code /metrics}
     * @param rulesYaml the contents of a Prometheus rule file (evaluated every second), or null
     * @param history   samples from before the start, in OpenMetrics text ({@code name{labels} value
     *                  unix-seconds} lines, ending with {@code # EOF}), written into the data directory
     *                  with {@code promtool tsdb create-blocks-from openmetrics}; or null. For tests
     *                  that need hours of history without waiting for them.
     */
    public static RealPrometheus start(List<String> targets, String rulesYaml, String history) {
        String binary = BINARIES.stream().filter(b -> Files.isExecutable(Path.of(b))).findFirst().orElse(null);
        if (binary == null) {
            String why = "prometheus not installed (apt-get install prometheus)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            Assumptions.abort(why);
        }
        try {
            Path dir = Files.createTempDirectory("onloop-prometheus");
            StringBuilder config = new StringBuilder("""
                    global:
                      scrape_interval: 1s
                      scrape_timeout: 1s
                      evaluation_interval: 1s
                    """);
            if (rulesYaml != null) {
                Files.writeString(dir.resolve("rules.yml"), rulesYaml);
                config.append("rule_files: [\"").append(dir.resolve("rules.yml")).append("\"]\n");
            }
            config.append("scrape_configs:\n  - job_name: test\n    static_configs:\n      - targets: [")
                    .append(String.join(", ", targets.stream().map(t -> "\"" + t + "\"").toList())).append("]\n");
            Files.writeString(dir.resolve("prometheus.yml"), config);
            if (history != null) {
                backfill(binary, dir, history);
            }
            int port = freePort();
            Process p = new ProcessBuilder(binary,
                    "--config.file=" + dir.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + dir.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port,
                    "--web.console.templates=" + dir, "--web.console.libraries=" + dir)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            RealPrometheus prometheus = new RealPrometheus(p, dir, port);
            prometheus.awaitReady();
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base URL of its HTTP API, e.g. {@code http://127.0.0.1:40123}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** What Prometheus logged so far (for failure messages). */
    public String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("prometheus exited with " + process.exitValue() + ":\n" + log());
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(url() + "/-/ready")).timeout(Duration.ofSeconds(1)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(100);
        }
        close();
        fail("prometheus not ready within " + READY_TIMEOUT + ":\n" + log());
    }

    private static void backfill(String binary, Path dir, String openMetrics) throws IOException {
        Path promtool = Path.of(binary).resolveSibling("promtool");
        if (!Files.isExecutable(promtool)) {
            fail("promtool not found next to " + binary + " (it comes with the prometheus package)");
        }
        Path input = dir.resolve("history.om");
        Files.writeString(input, openMetrics);
        Path log = dir.resolve("promtool.log");
        Process p = new ProcessBuilder(promtool.toString(), "tsdb", "create-blocks-from", "openmetrics",
                input.toString(), dir.resolve("data").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                fail("promtool could not write the history:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
