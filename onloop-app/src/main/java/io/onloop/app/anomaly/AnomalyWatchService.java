package io.onloop.app.anomaly;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.adapters.prometheus.PrometheusMetricsQuery;
import io.onloop.domain.anomaly.watch.AlertRuleQueries;
import io.onloop.domain.anomaly.watch.MetricWatcher;
import io.onloop.domain.anomaly.watch.Watch;
import io.onloop.domain.anomaly.watch.WatchEvent;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.ingest.EventNormalizer;
import io.onloop.domain.metrics.MetricsUnavailableException;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.FiringAlert;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the {@link MetricWatcher} on a schedule and hands what it finds to the ingest pipeline, the
 * same {@link EventIngestor} path webhooks take (source {@code onloop}): dedupe, incidents, runbook
 * recipes and routing treat these events like any other.
 */
public final class AnomalyWatchService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AnomalyWatchService.class.getName());

    private final MetricWatcher watcher;
    private final String backend;
    private final Optional<PrometheusMetricsQuery> alertRules;
    private final List<Watch> configured;
    private final java.time.Duration alertRuleStep;
    private final java.time.Duration settle;
    private final String tenant;
    private final EventNormalizer normalizer;
    private final EventIngestor ingestor;
    private final EventStore store;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Counter ticks, points, failures, evicted;
    private ScheduledExecutorService scheduler;
    private volatile int trackedSeries;
    private static final int MAX_UNSENT = 10_000;
    /** The name of an alerting rule's watch is this and the rule's name. */
    private static final String RULE_WATCH_PREFIX = "alert:";
    /** The label an alerting rule's watch events carry its name in. */
    private static final String RULE_LABEL = "alert_rule";
    /** Events per journal record when sending (each carries a chart; a record is bounded). */
    private static final int SUBMIT_AT_ONCE = 500;
    /** The watches of the last successful listing of alerting rules; null until Prometheus has listed them. */
    private List<Watch> ruleWatches;
    /** Last tick's failures by watch, and its warnings: each is logged when it starts, not every tick. */
    private Map<String, String> lastFailures = Map.of();
    private java.util.Set<String> lastWarnings = java.util.Set.of();
    /**
     * Whether the episodes open before this start have been taken up: those of the configured watches on the first
     * tick; those of alerting rules once the rules have been listed (which may fail on the first tick).
     */
    private boolean configuredResumed, rulesResumed;
    /** Why the last listing of the rules failed; null when it did not. */
    private String rulesFailure;
    /** Those episodes' firing alerts by fingerprint: a lost one's resolve carries its labels. */
    private final Map<String, FiringAlert> takenUp = new java.util.HashMap<>();
    /** Events a tick raised that ingest refused (backlog full): sent first on the next tick, never dropped silently. */
    private final List<Event> unsent = new ArrayList<>();

    /**
     * @param backend    {@code prometheus} or {@code cloudwatch}: the metrics' {@code backend} tag
     * @param alertRules the Prometheus whose alerting rules' series are watched too; empty for none
     * @param settle     how long the backend may take to publish a point: each tick looks at the data as of
     *                   that much earlier (CloudWatch publishes basic metrics minutes late; Prometheus: zero)
     */
    public AnomalyWatchService(String backend, MetricWatcher watcher, Optional<PrometheusMetricsQuery> alertRules,
                               List<Watch> configured, java.time.Duration alertRuleStep, java.time.Duration settle,
                               String tenant, EventNormalizer normalizer, EventIngestor ingestor, EventStore store,
                               Clock clock, MeterRegistry meters) {
        this.backend = backend;
        this.watcher = watcher;
        this.alertRules = alertRules;
        this.configured = List.copyOf(configured);
        this.alertRuleStep = alertRuleStep;
        this.settle = settle;
        this.tenant = tenant;
        this.normalizer = normalizer;
        this.ingestor = ingestor;
        this.store = store;
        this.clock = clock;
        this.meters = meters;
        this.ticks = Counter.builder("onloop.anomaly.ticks").tag("backend", backend)
                .description("evaluations of every watch").register(meters);
        this.points = Counter.builder("onloop.anomaly.points").tag("backend", backend)
                .description("metric points scored or forecast").register(meters);
        this.failures = Counter.builder("onloop.anomaly.query.failures").tag("backend", backend)
                .description("watch queries the metrics backend did not answer").register(meters);
        this.evicted = Counter.builder("onloop.anomaly.series.evicted").tag("backend", backend)
                .description("tracked series dropped to stay within max-series").register(meters);
        // read from the last tick's result: asking the watcher would wait for a tick in progress
        Gauge.builder("onloop.anomaly.series.tracked", this, s -> s.trackedSeries).tag("backend", backend)
                .description("series with a detector or forecast window").register(meters);
    }

    public synchronized void start(java.time.Duration every) {
        LOG.log(Level.INFO, "anomaly watches on {0}: {1} configured ({2}){3}, every {4} s", new Object[]{backend,
                configured.size(), String.join(", ", configured.stream().map(Watch::name).toList()),
                alertRules.isPresent() ? ", and the series behind its alerting rules" : "", every.toSeconds()});
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("onloop-anomaly-" + backend).daemon().unstarted(r));
        scheduler.scheduleWithFixedDelay(this::tickQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException | Error e) {
            // the next tick tries again: a task that throws is never run again, and nothing would say so
            LOG.log(Level.SEVERE, "anomaly watch tick failed", e);
        }
    }

    /** One evaluation of every watch; the events it raises are accepted (on disk) when it returns. */
    public void tick() {
        Instant now = clock.instant();
        List<Watch> watches = watches();
        List<NormalizedAlert> gone = resume(watches);
        MetricWatcher.TickResult result = watcher.tick(watches, now.minus(settle));
        trackedSeries = result.trackedSeries();
        ticks.increment();
        points.increment(result.points());
        evicted.increment(result.evicted());
        logChanges(result);
        synchronized (unsent) {
            gone.forEach(alert -> unsent.add(normalizer.toEvent(tenant, null, SourceType.ONLOOP, alert, now)));
            for (WatchEvent e : result.events()) {
                takenUp.remove(e.fingerprint()); // carried on by the watcher: no longer one that may be lost
                unsent.add(normalizer.toEvent(tenant, null, SourceType.ONLOOP, e.toAlert(), now));
                meters.counter("onloop.anomaly.events", "backend", backend, "detector", e.watch().kind().id(),
                        "status", e.status().id()).increment();
            }
            for (MetricWatcher.OpenEpisode lost : result.lost()) {
                unsent.add(normalizer.toEvent(tenant, null, SourceType.ONLOOP, noLongerWatched(lost.watch(),
                        takenUp.remove(lost.fingerprint()), "watch " + lost.watch() + " no longer has this series (it is "
                        + "gone, or the watch now tracks other series)"), now));
            }
            if (unsent.size() > MAX_UNSENT) { // ingest has refused for a long time: keep the newest
                LOG.log(Level.WARNING, "ingest keeps refusing; dropping {0} oldest anomaly events", unsent.size() - MAX_UNSENT);
                unsent.subList(0, unsent.size() - MAX_UNSENT).clear();
            }
            // the watcher has moved on (its episodes are open or closed now), so what ingest refuses is kept
            // and sent again next tick, oldest first, rather than lost; in parts, as one journal record is bounded
            while (!unsent.isEmpty()) {
                List<Event> part = unsent.subList(0, Math.min(SUBMIT_AT_ONCE, unsent.size()));
                ingestor.submit(List.copyOf(part), false).durable().join();
                part.clear();
            }
        }
    }

    /**
     * Hands the watcher the episodes the store has firing from before this start (it keeps its own in memory, so a
     * restart would leave their incidents open for good), before the first tick of their watches: those of the
     * configured watches on the first tick, those of alerting rules once the rules are listed. An alerting rule's
     * episode whose rule is no longer listed then has no watch to end it, so it is returned to be resolved.
     */
    private List<NormalizedAlert> resume(List<Watch> watches) {
        boolean configuredNow = !configuredResumed;
        boolean rulesNow = ruleWatches != null && !rulesResumed;
        if (!configuredNow && !rulesNow) {
            return List.of();
        }
        configuredResumed = true;
        rulesResumed |= rulesNow;
        java.util.Set<String> configuredNames = new java.util.HashSet<>(configured.stream().map(Watch::name).toList());
        java.util.Set<String> names = new java.util.HashSet<>(watches.stream().map(Watch::name).toList());
        Map<String, FiringAlert> open = new java.util.HashMap<>();
        List<NormalizedAlert> gone = new ArrayList<>();
        try {
            // by the watch label every watch event carries: another backend's watches take up their own
            for (FiringAlert a : store.firingAlerts(tenant)) {
                String watch = a.event().labels().get(WatchEvent.WATCH_LABEL);
                if (a.event().source() != SourceType.ONLOOP || watch == null) {
                    continue;
                }
                // a rule's watch events carry the rule's name: a configured watch may be called "alert:..." too
                boolean ofRule = !configuredNames.contains(watch)
                        && watch.equals(RULE_WATCH_PREFIX + a.event().labels().get(RULE_LABEL));
                if (ofRule ? rulesNow : configuredNow) {
                    if (names.contains(watch)) {
                        open.put(a.fingerprint(), a);
                    } else if (ofRule) {
                        gone.add(noLongerWatched(watch, a, "its alerting rule is no longer listed by Prometheus"));
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not read the anomaly incidents open before this start; they stay open until "
                    + "someone resolves them: {0}", e.toString());
            return List.of();
        }
        watcher.resume(open.values().stream().map(a -> new MetricWatcher.OpenEpisode(
                a.event().labels().get(WatchEvent.WATCH_LABEL), a.fingerprint(), a.since(),
                WatchEvent.etaSaid(a.event().rawPayload()).orElse(null))).toList());
        if (!open.isEmpty() || !gone.isEmpty()) {
            LOG.log(Level.INFO, "anomaly watches on {0}: taking up {1} episodes open before this start, resolving {2} "
                    + "of alerting rules no longer listed", new Object[]{backend, open.size(), gone.size()});
        }
        takenUp.putAll(open);
        return gone;
    }

    /** The resolve of an episode open before a restart whose series its watch no longer has. */
    private static NormalizedAlert noLongerWatched(String watch, FiringAlert firing, String why) {
        Event fired = firing.event();
        return new NormalizedAlert(EventStatus.RESOLVED, fired.severity(), fired.sourceSeverity(),
                WatchEvent.NO_LONGER_WATCHED + watch, "onloop restarted while this was open, and " + why
                + ", so nothing could say when it ends.", fired.resource(), fired.labels(), firing.fingerprint(), null, null, null);
    }

    /**
     * Says what changed since the last tick, not the same lines every tick: a failure or warning when it starts (or
     * its text changes), and a watch that answers again once it does. The failure counter still counts every tick.
     */
    private void logChanges(MetricWatcher.TickResult result) {
        Map<String, String> failing = new java.util.HashMap<>();
        for (String failure : result.failures()) {
            failures.increment();
            String watch = failure.substring(0, Math.max(0, failure.indexOf(": ")));
            failing.put(watch, failure);
            if (!failure.equals(lastFailures.get(watch))) {
                LOG.log(Level.WARNING, "anomaly watch query failed (said again only when this changes): {0}", failure);
            }
        }
        for (String watch : lastFailures.keySet()) {
            if (!failing.containsKey(watch)) {
                LOG.log(Level.INFO, "anomaly watch {0} answers again", watch);
            }
        }
        lastFailures = failing;
        for (String warning : result.warnings()) {
            if (!lastWarnings.contains(warning)) {
                LOG.log(Level.WARNING, "anomaly watch: {0}", warning);
            }
        }
        lastWarnings = java.util.Set.copyOf(result.warnings());
    }

    /** The configured watches, plus one anomaly watch per alerting rule whose series can be told apart. */
    private List<Watch> watches() {
        if (alertRules.isEmpty()) {
            return configured;
        }
        try {
            List<Watch> fromRules = new ArrayList<>();
            // one watch per query: the same series scored twice would open two incidents for one anomaly (a configured
            // watch of it, or a warning and a critical rule over the same query); the configured watch, else the first rule
            Set<String> watched = new HashSet<>();
            configured.stream().filter(w -> w.kind() == Watch.Kind.ANOMALY).forEach(w -> watched.add(sameQuery(w.query())));
            for (var rule : alertRules.get().alertingRules()) {
                AlertRuleQueries.seriesBehind(rule.query()).filter(q -> watched.add(sameQuery(q)))
                        .ifPresent(q -> fromRules.add(new Watch(RULE_WATCH_PREFIX + rule.name(), q,
                        alertRuleStep, Watch.Kind.ANOMALY, null, Watch.DEFAULT_THRESHOLD, null, null, null,
                        Map.of(RULE_LABEL, rule.name()))));
            }
            ruleWatches = fromRules;
            if (rulesFailure != null) {
                LOG.log(Level.INFO, "Prometheus lists its alerting rules again");
                rulesFailure = null;
            }
        } catch (MetricsUnavailableException e) {
            // the rules of the last listing stay watched: dropped, their windows would be forgotten and the next
            // tick would learn six hours again without scoring them, just when Prometheus is struggling
            failures.increment();
            if (!e.getMessage().equals(rulesFailure)) { // said when it starts or changes, as the watches' failures
                LOG.log(Level.WARNING, "could not list Prometheus alerting rules (watching those listed before; said "
                        + "again only when this changes): {0}", e.getMessage());
            }
            rulesFailure = e.getMessage();
        }
        List<Watch> all = new ArrayList<>(configured);
        if (ruleWatches != null) {
            all.addAll(ruleWatches);
        }
        return all;
    }

    /** A query as compared for being watched already: runs of white space are one space. */
    private static String sameQuery(String query) {
        return query.strip().replaceAll("\\s+", " ");
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
