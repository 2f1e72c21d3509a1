package io.onloop.testkit.metrics;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.metrics.MetricsUnavailableException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A metrics backend in memory: each query string answers with the samples a test recorded for it.
 * A range query returns the samples in {@code [start, end]} as they are (no step alignment, no
 * lookback); an instant query the latest sample at or before the time. A query can be made to fail.
 */
public final class InMemoryMetricsQuery implements MetricsQuery {

    /** One call the backend received. */
    public record Call(String query, Instant start, Instant end, Duration step) {
    }

    private final Map<String, Map<Map<String, String>, List<MetricSeries.Point>>> data = new LinkedHashMap<>();
    private final Map<String, MetricsUnavailableException> failing = new LinkedHashMap<>();
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    /** Records one sample of {@code query}'s series with these labels. */
    public synchronized InMemoryMetricsQuery add(String query, Map<String, String> labels, Instant at, double value) {
        data.computeIfAbsent(query, q -> new LinkedHashMap<>()).computeIfAbsent(Map.copyOf(labels), l -> new ArrayList<>())
                .add(new MetricSeries.Point(at.toEpochMilli(), value));
        return this;
    }

    /** Makes {@code query} fail with this message until {@link #recover}. */
    public synchronized void fail(String query, String message) {
        failing.put(query, new MetricsUnavailableException(message));
    }

    /** Makes {@code query} fail with {@code failure} (such as an answer too large) until {@link #recover}. */
    public synchronized void fail(String query, MetricsUnavailableException failure) {
        failing.put(query, failure);
    }

    public synchronized void recover(String query) {
        failing.remove(query);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public String backend() {
        return "in-memory";
    }

    @Override
    public synchronized List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
        calls.add(new Call(query, start, end, step));
        check(query);
        List<MetricSeries> out = new ArrayList<>();
        data.getOrDefault(query, Map.of()).forEach((labels, points) -> {
            List<MetricSeries.Point> in = points.stream()
                    .filter(p -> p.epochMillis() >= start.toEpochMilli() && p.epochMillis() <= end.toEpochMilli()).toList();
            if (!in.isEmpty()) {
                out.add(new MetricSeries(labels, in));
            }
        });
        return out;
    }

    @Override
    public synchronized List<MetricSeries> instant(String query, Instant at) {
        calls.add(new Call(query, at, at, null));
        check(query);
        List<MetricSeries> out = new ArrayList<>();
        data.getOrDefault(query, Map.of()).forEach((labels, points) -> points.stream()
                .filter(p -> p.epochMillis() <= at.toEpochMilli()).reduce((a, b) -> b)
                .ifPresent(p -> out.add(new MetricSeries(labels, List.of(p)))));
        return out;
    }

    private void check(String query) {
        MetricsUnavailableException failure = failing.get(query);
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * A backend that asks {@code base}, with each range answer passed through {@code answer} (which may change it, or
     * throw as a failing backend does); instant queries as {@code base} answers them.
     */
    public static MetricsQuery rangesThrough(MetricsQuery base,
                                             java.util.function.BiFunction<String, List<MetricSeries>, List<MetricSeries>> answer) {
        return new MetricsQuery() {
            @Override
            public String backend() {
                return "test";
            }

            @Override
            public List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
                return answer.apply(query, base.range(query, start, end, step));
            }

            @Override
            public List<MetricSeries> instant(String query, Instant at) {
                return base.instant(query, at);
            }
        };
    }
}
