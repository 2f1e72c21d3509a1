package io.onloop.adapters.prometheus;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.metrics.MetricsUnavailableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@link MetricsQuery} over Prometheus' HTTP API ({@code /api/v1/query_range}, {@code /api/v1/query}),
 * plus {@link #alertingRules()} from {@code /api/v1/rules}. Works with anything that speaks that
 * API (Thanos, Mimir, VictoriaMetrics). Queries are POSTed as forms, so long PromQL never meets a
 * URL length limit. Errors carry Prometheus' own {@code errorType} and {@code error}; never a header
 * (credentials) and never the URL.
 */
public final class PrometheusMetricsQuery implements MetricsQuery {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_ERROR_CHARS = 300;
    /** The most of one answer (its JSON text) read into memory. */
    private static final long MAX_ANSWER_BYTES = 64L << 20;

    /**
     * @param baseUrl        e.g. {@code http://prometheus:9090} (a path prefix such as {@code /prom} is kept)
     * @param connectTimeout for opening the connection
     * @param queryTimeout   for the whole answer; also sent to Prometheus as {@code timeout} so it stops evaluating
     * @param bearerToken    sent as {@code Authorization: Bearer}; null for none
     * @param username       basic auth user (with {@code password}); null for none
     */
    public record Settings(URI baseUrl, Duration connectTimeout, Duration queryTimeout, String bearerToken,
                           String username, String password) {
        public Settings {
            Objects.requireNonNull(baseUrl, "baseUrl");
            connectTimeout = Objects.requireNonNullElse(connectTimeout, Duration.ofSeconds(5));
            queryTimeout = Objects.requireNonNullElse(queryTimeout, Duration.ofSeconds(30));
            if (bearerToken != null && bearerToken.isBlank()) {
                bearerToken = null;
            }
            if (username != null && username.isBlank()) {
                username = null;
            }
        }

        public static Settings of(String baseUrl) {
            return new Settings(URI.create(baseUrl), null, null, null, null, null);
        }

        @Override
        public String toString() { // never print the secrets
            return "Settings[baseUrl=" + baseUrl + ", auth=" + (bearerToken != null ? "bearer" : username != null ? "basic" : "none") + "]";
        }
    }

    /**
     * One alerting rule Prometheus evaluates.
     *
     * @param group the rule group's name
     * @param name  the alert name
     * @param query the rule's PromQL expression (the condition, comparison included)
     * @param labels the labels the rule adds to its alerts
     */
    public record AlertingRule(String group, String name, String query, Duration holdFor, Map<String, String> labels) {
        public AlertingRule {
            labels = Map.copyOf(labels);
        }
    }

    private final Settings settings;
    private final HttpClient client;
    private final String authorization;
    private final long maxAnswerBytes;

    public PrometheusMetricsQuery(Settings settings) {
        this(settings, MAX_ANSWER_BYTES);
    }

    PrometheusMetricsQuery(Settings settings, long maxAnswerBytes) {
        this.maxAnswerBytes = maxAnswerBytes;
        this.settings = settings;
        this.client = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        if (settings.bearerToken() != null) {
            authorization = "Bearer " + settings.bearerToken();
        } else if (settings.username() != null) {
            String pair = settings.username() + ":" + Objects.requireNonNullElse(settings.password(), "");
            authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
        } else {
            authorization = null;
        }
    }

    @Override
    public String backend() {
        return "prometheus";
    }

    @Override
    public List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
        if (step.isZero() || step.isNegative()) {
            throw new IllegalArgumentException("step must be positive");
        }
        JsonNode data = call("/api/v1/query_range", form(Map.of("query", query, "start", seconds(start),
                "end", seconds(end), "step", seconds(step.toMillis()), "timeout", timeout())));
        return series(data);
    }

    @Override
    public List<MetricSeries> instant(String query, Instant at) {
        JsonNode data = call("/api/v1/query", form(Map.of("query", query, "time", seconds(at), "timeout", timeout())));
        return series(data);
    }

    /** The alerting rules Prometheus evaluates (recording rules left out), in its group order. */
    public List<AlertingRule> alertingRules() {
        JsonNode data = call("/api/v1/rules?type=alert", null);
        // Prometheus always says "groups" (empty without rules), and "rules" in each: an answer without them is not
        // "no rules", which would drop every rule's watch and resolve its open episodes
        if (!data.path("groups").isArray() || data.path("groups").valueStream().anyMatch(g -> !g.path("rules").isArray())) {
            throw new MetricsUnavailableException("prometheus answered its rules without data.groups[].rules: "
                    + clip(data.toString()));
        }
        List<AlertingRule> rules = new ArrayList<>();
        for (JsonNode group : data.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                if (!"alerting".equals(rule.path("type").asString(""))) {
                    continue;
                }
                rules.add(new AlertingRule(group.path("name").asString(""), rule.path("name").asString(""),
                        rule.path("query").asString(""), Duration.ofMillis(Math.round(rule.path("duration").asDouble(0) * 1000)),
                        labels(rule.path("labels"))));
            }
        }
        return rules;
    }

    /** Plain seconds: Prometheus takes a float there, but a unit suffix only on whole numbers ("1.5s" is refused). */
    private String timeout() {
        return seconds(settings.queryTimeout().toMillis());
    }

    /** POSTs the form (or GETs when there is none) and returns {@code data} of a success answer. */
    private JsonNode call(String path, String form) {
        String base = settings.baseUrl().toString().replaceAll("/+$", "");
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.queryTimeout())
                .header("Accept", "application/json");
        if (form != null) {
            b.header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form));
        } else {
            b.GET();
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        HttpResponse<String> r;
        // The request's own timeout ends with the headers (before JDK 26): the whole answer is waited for here.
        var pending = client.sendAsync(b.build(), info -> new BoundedBody(maxAnswerBytes));
        try {
            r = pending.get(settings.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new MetricsUnavailableException("prometheus did not answer within " + settings.queryTimeout(), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw new MetricsUnavailableException("prometheus did not answer within " + settings.queryTimeout(), cause);
            }
            if (cause instanceof BoundedBody.TooLarge) {
                throw new MetricsUnavailableException.AnswerTooLarge("prometheus answered too much: " + cause.getMessage()
                        + "; narrow the query (fewer series) or use a coarser step", cause);
            }
            throw new MetricsUnavailableException("prometheus unreachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + clip(cause.getMessage())), cause);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new MetricsUnavailableException("interrupted", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(r.body());
        } catch (JacksonException e) {
            body = null;
        }
        // Prometheus answers errors as JSON with 400, 422, 503 etc.; anything else is a proxy or a wrong URL.
        if (body == null || !body.isObject() || !body.has("status")) {
            throw new MetricsUnavailableException("prometheus answered HTTP " + r.statusCode() + " without its API's JSON: "
                    + clip(Objects.requireNonNullElse(r.body(), "").strip()));
        }
        if (!"success".equals(body.path("status").asString(""))) {
            throw new MetricsUnavailableException("prometheus refused the query (HTTP " + r.statusCode() + ", "
                    + body.path("errorType").asString("unknown") + "): " + clip(body.path("error").asString("")));
        }
        return body.path("data");
    }

    private static List<MetricSeries> series(JsonNode data) {
        String type = data.path("resultType").asString("");
        JsonNode result = data.path("result");
        return switch (type) {
            case "matrix" -> {
                List<MetricSeries> out = new ArrayList<>(result.size());
                for (JsonNode s : result) {
                    List<MetricSeries.Point> points = new ArrayList<>(s.path("values").size());
                    for (JsonNode v : s.path("values")) {
                        points.add(point(v));
                    }
                    out.add(new MetricSeries(labels(s.path("metric")), points));
                }
                yield out;
            }
            case "vector" -> {
                List<MetricSeries> out = new ArrayList<>(result.size());
                for (JsonNode s : result) {
                    // a native-histogram sample has "histogram" instead of "value": no single number to give
                    if (s.has("value")) {
                        out.add(new MetricSeries(labels(s.path("metric")), List.of(point(s.path("value")))));
                    }
                }
                yield out;
            }
            case "scalar" -> List.of(new MetricSeries(Map.of(), List.of(point(result))));
            default -> throw new MetricsUnavailableException("the query returns " + (type.isEmpty() ? "no result type" : type)
                    + ", not numbers");
        };
    }

    /** {@code [1700000000.123, "42"]}: seconds as a number, the value as a string (NaN, +Inf and -Inf included). */
    private static MetricSeries.Point point(JsonNode pair) {
        if (!pair.path(0).isNumber()) {
            throw new MetricsUnavailableException("prometheus sent a time that is not a number: " + clip(pair.toString()));
        }
        long millis = Math.round(pair.path(0).asDouble() * 1000);
        String v = pair.path(1).asString("NaN");
        double value = switch (v) {
            case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> {
                try {
                    yield Double.parseDouble(v);
                } catch (NumberFormatException e) {
                    throw new MetricsUnavailableException("prometheus sent a value that is not a number: " + clip(v));
                }
            }
        };
        return new MetricSeries.Point(millis, value);
    }

    private static Map<String, String> labels(JsonNode metric) {
        Map<String, String> labels = new LinkedHashMap<>();
        metric.properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString("")));
        return labels;
    }

    private static String seconds(Instant t) {
        return seconds(t.toEpochMilli());
    }

    private static String seconds(long millis) {
        return java.math.BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    private static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    private static String clip(String s) {
        return s.length() <= MAX_ERROR_CHARS ? s : s.substring(0, MAX_ERROR_CHARS) + "…";
    }
}
