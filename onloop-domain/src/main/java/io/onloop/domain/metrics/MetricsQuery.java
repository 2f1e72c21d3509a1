package io.onloop.domain.metrics;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Port: reads metric series from a metrics backend (Prometheus, CloudWatch). Anomaly detection and
 * rightsizing both read usage through it, so neither knows which backend answered. Called from several threads
 * at once (the anomaly watcher asks its watches' queries in parallel).
 */
public interface MetricsQuery {

    /** The backend's name for logs and evidence, e.g. {@code prometheus}. */
    String backend();

    /**
     * Evaluates {@code query} (in the backend's language: PromQL, a CloudWatch metric id) at every
     * {@code step} from {@code start} to {@code end}, inclusive.
     *
     * @throws MetricsUnavailableException when the backend cannot be reached or refuses the query
     */
    List<MetricSeries> range(String query, Instant start, Instant end, Duration step);

    /** Evaluates {@code query} once, at {@code at}: one point per series. */
    List<MetricSeries> instant(String query, Instant at);
}
