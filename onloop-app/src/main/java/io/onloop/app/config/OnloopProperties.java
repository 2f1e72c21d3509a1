package io.onloop.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every onloop setting, under {@code onloop.*}. The database is configured with the standard
 * {@code spring.datasource.*} properties (embedded H2 in {@code data-dir} unless a URL is given).
 *
 * @param dataDir   where the embedded H2 database and {@code initial-credentials.txt} live
 * @param ingest    the webhook endpoints and the group-commit writer behind them
 * @param grouping  how events are grouped into incidents (Alertmanager semantics)
 * @param bootstrap what the first start creates
 */
@ConfigurationProperties("onloop")
public record OnloopProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Ingest ingest,
        @DefaultValue Grouping grouping,
        @DefaultValue Bootstrap bootstrap) {

    /**
     * @param maxBodyBytes   largest accepted webhook body; larger ones get 413
     * @param queueCapacity  requests waiting for the writer before new ones get 503 + Retry-After
     * @param maxBatchEvents most events written in one transaction (one commit for many requests)
     * @param commitTimeout  how long a request waits for its commit before it gets 503
     * @param retryAfter     the Retry-After sent with 503 when the queue is full
     */
    public record Ingest(
            @DefaultValue("1048576") int maxBodyBytes,
            @DefaultValue("10000") int queueCapacity,
            @DefaultValue("1000") int maxBatchEvents,
            @DefaultValue("30s") Duration commitTimeout,
            @DefaultValue("1s") Duration retryAfter) {
    }

    /**
     * @param groupBy       labels whose equal values put alerts with different fingerprints into one incident;
     *                      empty means group by fingerprint only
     * @param groupWindow   a new alert joins a group's open incident only if that incident saw an event this recently
     * @param groupWait     how long a new incident waits before its first notification
     * @param groupInterval how long before notifying about alerts added to an incident
     */
    public record Grouping(
            @DefaultValue List<String> groupBy,
            @DefaultValue("1h") Duration groupWindow,
            @DefaultValue("30s") Duration groupWait,
            @DefaultValue("5m") Duration groupInterval) {
    }

    /**
     * @param tenant        id of the tenant created on first start
     * @param adminPassword preset password for the first admin user (random when unset)
     * @param adminToken    preset admin API token (random when unset); for scripted installs and benchmarks
     */
    public record Bootstrap(
            @DefaultValue("demo") String tenant,
            String adminPassword,
            String adminToken) {
    }
}
