package io.onloop.app.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.store.EventRetention;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Pruned;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link EventRetention} for every tenant on a schedule, on one thread of its own, unless retention is off
 * ({@code onloop.retention.keep=0}). A tenant whose pass fails is logged and tried again next time; the others
 * still run.
 */
public class RetentionJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);

    /** Null when retention is off. */
    private final EventRetention retention;
    private final AccessStore access;
    private final Duration firstDelay;
    private final Duration every;
    private final Counter incidents;
    private final Counter events;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("onloop-retention").daemon().factory());

    RetentionJob(EventStore store, DeliveryStore deliveries, EventIngestor ingestor, AccessStore access,
                 OnloopProperties.Retention settings, Clock clock, MeterRegistry meters) {
        this.retention = settings.keep().isZero() ? null : new EventRetention(store, deliveries, settings.keep(),
                settings.batch(), clock, ingestor::storingIdleFor, settings.maxYieldToStoring());
        this.access = access;
        this.firstDelay = settings.firstDelay();
        this.every = settings.every();
        this.incidents = Counter.builder("onloop.retention.deleted.incidents")
                .description("incidents deleted by retention since start").register(meters);
        this.events = Counter.builder("onloop.retention.deleted.events").baseUnit("events")
                .description("events deleted by retention since start").register(meters);
    }

    void start() {
        if (retention == null) {
            LOG.info("retention is off (onloop.retention.keep=0): events and incidents are kept for ever");
            return;
        }
        timer.scheduleWithFixedDelay(this::runQuietly, firstDelay.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One pass over every tenant, now. Serialized with the scheduled passes. */
    public synchronized Pruned runNow() {
        Pruned total = Pruned.NONE;
        if (retention == null) {
            return total;
        }
        for (Tenant tenant : access.tenants()) {
            if (Thread.currentThread().isInterrupted()) {
                break; // stopping
            }
            try {
                Pruned p = retention.prune(tenant.id(), batch -> {
                    incidents.increment(batch.incidents());
                    events.increment(batch.events());
                });
                if (!p.isEmpty()) {
                    LOG.info("retention: tenant {}: deleted {} incidents, {} events, {} repeat ids, {} deliveries",
                            tenant.id(), p.incidents(), p.events(), p.repeats(), p.deliveries());
                }
                total = total.plus(p);
            } catch (RuntimeException e) {
                LOG.warn("retention failed for tenant {}: {}", tenant.id(), e.toString());
            }
        }
        return total;
    }

    private void runQuietly() {
        try {
            runNow();
        } catch (RuntimeException | Error e) {
            // the next pass runs on schedule: a task that throws is never run again, and nothing would say so
            LOG.error("retention failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
