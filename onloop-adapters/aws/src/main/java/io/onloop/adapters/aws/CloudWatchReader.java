package io.onloop.adapters.aws;

import io.onloop.domain.metrics.MetricsUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.Metric;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.MetricStat;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;
import software.amazon.awssdk.services.cloudwatch.model.StatusCode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * GetMetricData for many metrics at once: in calls of at most 500 queries (CloudWatch's limit), each
 * followed through all its pages (NextToken), the values gathered per query id in time order.
 */
final class CloudWatchReader {

    static final int MAX_QUERIES_PER_CALL = 500;

    private final CloudWatchClient cloudWatch;

    CloudWatchReader(CloudWatchClient cloudWatch) {
        this.cloudWatch = cloudWatch;
    }

    /** A metric statistic to read, under an id unique in the request ({@code ^[a-z][a-zA-Z0-9_]*$}). */
    static MetricDataQuery stat(String id, String namespace, String metric, Map<String, String> dimensions,
                                String statistic, Duration period) {
        List<Dimension> dims = dimensions.entrySet().stream()
                .map(d -> Dimension.builder().name(d.getKey()).value(d.getValue()).build()).toList();
        return MetricDataQuery.builder().id(id).returnData(true)
                .metricStat(MetricStat.builder()
                        .metric(Metric.builder().namespace(namespace).metricName(metric).dimensions(dims).build())
                        .stat(statistic)
                        .period(Math.toIntExact(period.toSeconds()))
                        .build())
                .build();
    }

    /** Values per query id, each in time order; a query without data has no entry. */
    Map<String, TreeMap<Instant, Double>> read(List<MetricDataQuery> queries, Instant start, Instant end) {
        Map<String, TreeMap<Instant, Double>> values = new HashMap<>();
        for (int from = 0; from < queries.size(); from += MAX_QUERIES_PER_CALL) {
            List<MetricDataQuery> batch = queries.subList(from, Math.min(queries.size(), from + MAX_QUERIES_PER_CALL));
            call("cloudwatch:GetMetricData", () -> {
                cloudWatch.getMetricDataPaginator(r -> r.metricDataQueries(batch).startTime(start).endTime(end)
                                .scanBy(ScanBy.TIMESTAMP_ASCENDING))
                        .metricDataResults()
                        .forEach(result -> collect(result, values));
                return null;
            });
        }
        return values;
    }

    /** Names of metrics CloudWatch has seen in the last two weeks, all pages. */
    List<Metric> list(String namespace, String metric, String dimensionName) {
        return call("cloudwatch:ListMetrics", () -> cloudWatch.listMetricsPaginator(r -> r.namespace(namespace)
                        .metricName(metric).dimensions(f -> f.name(dimensionName)))
                .metrics().stream().toList());
    }

    private static void collect(MetricDataResult result, Map<String, TreeMap<Instant, Double>> values) {
        if (result.statusCode() == StatusCode.FORBIDDEN || result.statusCode() == StatusCode.INTERNAL_ERROR) {
            List<String> messages = new ArrayList<>();
            result.messages().forEach(m -> messages.add(m.code() + ": " + m.value()));
            throw new MetricsUnavailableException("CloudWatch answered " + result.statusCodeAsString() + " for metric "
                    + result.id() + " (" + result.label() + ")" + (messages.isEmpty() ? "" : " " + messages));
        }
        // PartialData: the rest follows on the next page
        TreeMap<Instant, Double> series = values.computeIfAbsent(result.id(), id -> new TreeMap<>());
        for (int i = 0; i < result.timestamps().size() && i < result.values().size(); i++) {
            series.put(result.timestamps().get(i), result.values().get(i));
        }
        if (series.isEmpty()) {
            values.remove(result.id());
        }
    }

    static <T> T call(String call, Supplier<T> action) {
        try {
            return action.get();
        } catch (SdkException e) {
            throw new MetricsUnavailableException(AwsFailures.describe(call, e), e);
        }
    }

    /**
     * The period CloudWatch can still answer for data starting at {@code start}: 1-minute data is kept 15
     * days, 5-minute data 63 days, hourly data 455 days (older buckets are only there in coarser periods).
     */
    static Duration retainedPeriod(Duration wanted, Instant start, Instant now) {
        Duration age = Duration.between(start, now);
        long multiple = age.compareTo(Duration.ofDays(63)) > 0 ? 3600
                : age.compareTo(Duration.ofDays(15)) > 0 ? 300 : 60;
        long seconds = Math.max(wanted.toSeconds(), multiple);
        return Duration.ofSeconds((seconds + multiple - 1) / multiple * multiple);
    }
}
