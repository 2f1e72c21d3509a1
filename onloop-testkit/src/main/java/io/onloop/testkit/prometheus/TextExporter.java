package io.onloop.testkit.prometheus;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.DoubleSupplier;

/**
 * A tiny metrics endpoint for tests: serves gauges at {@code /metrics} in Prometheus' text
 * exposition format (version 0.0.4). Each gauge's value is read from its supplier at scrape time,
 * so a test can make a metric move while Prometheus scrapes it.
 */
public final class TextExporter implements AutoCloseable {
    private final HttpServer server;
    private final Map<String, DoubleSupplier> gauges = new ConcurrentSkipListMap<>();

    private TextExporter(HttpServer server) {
        this.server = server;
    }

    public static TextExporter start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            TextExporter exporter = new TextExporter(server);
            server.createContext("/metrics", exchange -> {
                byte[] body = exporter.exposition().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return exporter;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Adds (or replaces) a gauge.
     *
     * @param series the metric name with its labels, e.g. {@code app_memory_bytes{pod="a"}}
     */
    public TextExporter gauge(String series, DoubleSupplier value) {
        gauges.put(series, value);
        return this;
    }

    /** {@code host:port}, as a Prometheus scrape target. */
    public String target() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    String exposition() {
        StringBuilder sb = new StringBuilder();
        String lastName = null;
        for (var e : gauges.entrySet()) {
            String name = e.getKey().contains("{") ? e.getKey().substring(0, e.getKey().indexOf('{')) : e.getKey();
            if (!name.equals(lastName)) {
                sb.append("# TYPE ").append(name).append(" gauge\n");
                lastName = name;
            }
            double v = e.getValue().getAsDouble();
            String text = Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? (v > 0 ? "+Inf" : "-Inf") : String.format(Locale.ROOT, "%s", v);
            sb.append(e.getKey()).append(' ').append(text).append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
