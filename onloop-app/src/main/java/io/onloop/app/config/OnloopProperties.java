package io.onloop.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Every onloop setting, under {@code onloop.*}. The database is configured with the standard
 * {@code spring.datasource.*} properties (embedded H2 in {@code data-dir} unless a URL is given).
 *
 * @param dataDir   where the embedded H2 database, the ingest journal and {@code initial-credentials.txt} live
 * @param ingest    the webhook endpoints, the journal and the applier behind them
 * @param grouping  how events are grouped into incidents (Alertmanager semantics)
 * @param bootstrap what the first start creates
 * @param login     how password guessing is stopped
 * @param retention how long events and incidents are kept
 * @param search    how much one page of a filtered list reads
 */
@ConfigurationProperties("onloop")
public record OnloopProperties(
        @DefaultValue("./data") Path dataDir,
        @DefaultValue Ingest ingest,
        @DefaultValue Grouping grouping,
        @DefaultValue Bootstrap bootstrap,
        @DefaultValue Login login,
        @DefaultValue Retention retention,
        @DefaultValue Search search) {

    /**
     * @param maxBodyBytes   largest accepted webhook body; larger ones get 413
     * @param maxEventsPerRequest most alerts one request may hold; more get 413 (a body of empty alerts holds hundreds of
     *                       thousands, each an event with its own copy of the request's context: memory)
     * @param journalDir     the ingest journal (write-ahead log); default {@code <data-dir>/journal}
     * @param maxBacklog     journal bytes accepted but not yet stored before new requests get 503 + Retry-After
     * @param maxBatchEvents most events stored in one transaction; below it, batches are sized to take about 2 s at the
     *                       rate of the one before (at least 2,000 events, or this if smaller; beyond 2,000, about 32 MiB of
     *                       the journal)
     * @param commitTimeout  how long a request waits for its events to reach the disk before it gets 503
     * @param maxPreferWait  the longest {@code Prefer: wait} honoured (waiting for incident ids)
     * @param retryAfter     the Retry-After sent with 503
     */
    public record Ingest(
            @DefaultValue("1048576") int maxBodyBytes,
            @DefaultValue("10000") int maxEventsPerRequest,
            Path journalDir,
            @DefaultValue("256MB") DataSize maxBacklog,
            @DefaultValue("20000") int maxBatchEvents,
            @DefaultValue("30s") Duration commitTimeout,
            @DefaultValue("30s") Duration maxPreferWait,
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

    /**
     * @param maxFailures   wrong passwords for one user name, console or API Basic, before that name is refused
     * @param failureWindow how long a wrong password counts; a refused name is let in again once its
     *                      oldest counted failure is this old
     * @param maxConcurrentChecks passwords checked at once (each Argon2 check takes tens of milliseconds of a
     *                      core and 16 MiB); unset: half the cores, at least one
     * @param checkWait     how long a sign-in waits for its turn before it is answered "busy"
     */
    public record Login(
            @DefaultValue("5") int maxFailures,
            @DefaultValue("5m") Duration failureWindow,
            Integer maxConcurrentChecks,
            @DefaultValue("2s") Duration checkWait) {

        public int concurrentChecks() {
            return maxConcurrentChecks != null ? maxConcurrentChecks
                    : Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        }
    }

    /**
     * @param keep       how long an incident is kept after it is resolved (with its events and timeline), and an event
     *                   in no incident after it arrived; open incidents are always kept. 0 keeps everything for ever
     * @param every      how often what is older is deleted
     * @param firstDelay how long after start the first deletion runs
     * @param batch      the most incidents, and events in no incident, deleted in one transaction
     * @param maxYieldToStoring how long each batch waits at most for storing to be quiet (storing comes first)
     */
    public record Retention(
            @DefaultValue("90d") Duration keep,
            @DefaultValue("1h") Duration every,
            @DefaultValue("5m") Duration firstDelay,
            @DefaultValue("500") int batch,
            @DefaultValue("10s") Duration maxYieldToStoring) {
    }

    /**
     * @param maxScanned the most events (or incidents) one page of a filtered list reads, newest first, looking for
     *                   matches (see {@link io.onloop.domain.store.Page#searchedTo()}: what is bounded and what a
     *                   short page says); 0: no bound.
     *                   20,000 rows take ~0.1 s on the embedded store (docs/benchmarks.md, "Searching a large store")
     */
    public record Search(@DefaultValue("20000") int maxScanned) {
        public Search {
            if (maxScanned < 0) {
                throw new IllegalArgumentException("onloop.search.max-scanned must be 0 (no bound) or more");
            }
        }
    }
}
