package io.onloop.testkit.rightsizing;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.metrics.MetricsUnavailableException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A metrics backend held in memory. It does not evaluate PromQL: a test says which series answer a query
 * that mentions a given metric, and reads back the queries it was asked ({@link #calls()}). Range queries
 * return the points within the range; instant queries the newest point at or before the time, within
 * Prometheus' 5-minute lookback.
 */
public final class InMemoryMetricsQuery implements MetricsQuery {

    /** One query as asked: an instant query has {@code start == end} and no step. */
    public record Call(String query, Instant start, Instant end, Duration step) {
    }

    private static final long LOOKBACK_MILLIS = Duration.ofMinutes(5).toMillis();

    private final Map<String, List<MetricSeries>> answers = new LinkedHashMap<>();
    private final List<Call> calls = new ArrayList<>();
    private String unavailable;

    /** Queries containing {@code metric} get {@code series}; the first answer added that matches wins. */
    public synchronized InMemoryMetricsQuery answer(String metric, List<MetricSeries> series) {
        answers.put(metric, List.copyOf(series));
        return this;
    }

    /** Every following query fails as an unreachable backend does. */
    public synchronized void becomeUnavailable(String message) {
        unavailable = message;
    }

    public synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String backend() {
        return "in-memory";
    }

    @Override
    public synchronized List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
        calls.add(new Call(query, start, end, step));
        List<MetricSeries> result = new ArrayList<>();
        for (MetricSeries series : answerTo(query)) {
            var points = series.points().stream()
                    .filter(p -> p.epochMillis() >= start.toEpochMilli() && p.epochMillis() <= end.toEpochMilli()).toList();
            if (!points.isEmpty()) {
                result.add(new MetricSeries(series.labels(), points));
            }
        }
        return result;
    }

    @Override
    public synchronized List<MetricSeries> instant(String query, Instant at) {
        calls.add(new Call(query, at, at, null));
        List<MetricSeries> result = new ArrayList<>();
        for (MetricSeries series : answerTo(query)) {
            series.points().stream()
                    .filter(p -> p.epochMillis() <= at.toEpochMilli() && p.epochMillis() > at.toEpochMilli() - LOOKBACK_MILLIS)
                    .reduce((a, b) -> b)
                    .ifPresent(p -> result.add(new MetricSeries(series.labels(), List.of(new MetricSeries.Point(at.toEpochMilli(), p.value())))));
        }
        return result;
    }

    private List<MetricSeries> answerTo(String query) {
        if (unavailable != null) {
            throw new MetricsUnavailableException(unavailable);
        }
        return answers.entrySet().stream().filter(e -> query.contains(e.getKey())).findFirst()
                .map(Map.Entry::getValue).orElse(List.of());
    }
}
