package io.onloop.adapters.aws;

import io.onloop.domain.metrics.MetricSeries;
import io.onloop.domain.metrics.MetricsQuery;
import io.onloop.domain.metrics.MetricsUnavailableException;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch as a {@link MetricsQuery}: the query is one metric statistic in the form
 * {@code Namespace:MetricName{Dimension=Value,...}:Statistic} (see {@link CloudWatchQuery}), read with
 * GetMetricData. A point at time t is the statistic over the bucket [t, t + step). The answer is one
 * series, or none when CloudWatch has no data in the range. The series' labels are its dimensions plus
 * {@code __name__}, {@code __namespace__} and {@code __statistic__}.
 */
public final class CloudWatchMetricsQuery implements MetricsQuery {

    /** How far back {@link #instant} looks for the latest point: basic monitoring publishes every 5 minutes. */
    static final long INSTANT_LOOKBACK_MINUTES = 10;

    private final CloudWatchReader cloudWatch;

    public CloudWatchMetricsQuery(AwsClients aws) {
        this.cloudWatch = new CloudWatchReader(aws.cloudWatch);
    }

    /** Checks a query's syntax without calling AWS, e.g. when configuration is loaded. */
    public static void validate(String query) {
        CloudWatchQuery.parse(query);
    }

    @Override
    public String backend() {
        return "cloudwatch";
    }

    /**
     * Each point is one CloudWatch period, placed at the period's <em>end</em>, as a Prometheus range
     * query's point at t covers what happened up to t. So the period still running at {@code end} (whose
     * partial sum or average would read as a sudden drop or spike) is never returned.
     *
     * @param step a whole number of minutes, or 1, 5, 10, 20 or 30 seconds for high-resolution metrics
     */
    @Override
    public List<MetricSeries> range(String query, Instant start, Instant end, Duration step) {
        CloudWatchQuery q = parse(query);
        long seconds = step.toSeconds();
        if (step.toNanosPart() != 0 || !(seconds > 0 && seconds % 60 == 0 || List.of(1L, 5L, 10L, 20L, 30L).contains(seconds))) {
            throw new MetricsUnavailableException("CloudWatch cannot answer in steps of " + step
                    + ": use a whole number of minutes, or 1, 5, 10, 20 or 30 seconds for high-resolution metrics");
        }
        if (end.isBefore(start)) {
            throw new MetricsUnavailableException("the range ends (" + end + ") before it starts (" + start + ")");
        }
        // periods starting in [start - step, end) end in [start, end]
        TreeMap<Instant, Double> ends = new TreeMap<>();
        read(q, start.minus(step), end, step).forEach((periodStart, v) -> ends.put(periodStart.plus(step), v));
        return series(q, ends.subMap(start, true, end, true));
    }

    /** The latest point in the {@value #INSTANT_LOOKBACK_MINUTES} minutes up to {@code at}, if any. */
    @Override
    public List<MetricSeries> instant(String query, Instant at) {
        CloudWatchQuery q = parse(query);
        Duration minute = Duration.ofMinutes(1);
        TreeMap<Instant, Double> values = read(q, at.minus(Duration.ofMinutes(INSTANT_LOOKBACK_MINUTES)), at.plus(minute), minute);
        var latest = values.floorEntry(at);
        return latest == null ? List.of() : series(q, Map.of(latest.getKey(), latest.getValue()));
    }

    private TreeMap<Instant, Double> read(CloudWatchQuery q, Instant start, Instant end, Duration step) {
        var query = CloudWatchReader.stat("q", q.namespace(), q.metric(), q.dimensions(), q.statistic(), step);
        return cloudWatch.read(List.of(query), start, end).getOrDefault("q", new TreeMap<>());
    }

    private static List<MetricSeries> series(CloudWatchQuery q, Map<Instant, Double> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        Map<String, String> labels = new LinkedHashMap<>(q.dimensions());
        labels.put("__name__", q.metric());
        labels.put("__namespace__", q.namespace());
        labels.put("__statistic__", q.statistic());
        List<MetricSeries.Point> points = values.entrySet().stream()
                .map(e -> new MetricSeries.Point(e.getKey().toEpochMilli(), e.getValue())).toList();
        return List.of(new MetricSeries(labels, points));
    }

    private static CloudWatchQuery parse(String query) {
        try {
            return CloudWatchQuery.parse(query);
        } catch (IllegalArgumentException e) {
            throw new MetricsUnavailableException(e.getMessage(), e);
        }
    }
}
