package io.onloop.app.rightsizing;

import io.onloop.domain.access.AccessStore;
import io.onloop.domain.access.Tenant;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks every recommendation source for every tenant's recommendations on a schedule, priced with the tenant's
 * own prices, and records them with the {@link Copilot}. A failing source is logged and skipped; the others
 * still run.
 */
public class RecommendationScanner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecommendationScanner.class);

    private final List<RecommendationSource> sources;
    private final AccessStore access;
    private final PriceOverrideStore prices;
    private final Copilot copilot;
    private final Duration firstDelay;
    private final Duration interval;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("onloop-rightsizing-scan").daemon().factory());

    RecommendationScanner(List<RecommendationSource> sources, AccessStore access, PriceOverrideStore prices,
                          Copilot copilot, Duration firstDelay, Duration interval) {
        this.sources = List.copyOf(sources);
        this.access = access;
        this.prices = prices;
        this.copilot = copilot;
        this.firstDelay = firstDelay;
        this.interval = interval;
    }

    void start() {
        if (sources.isEmpty()) {
            LOG.info("rightsizing: no recommendation sources configured; no scans");
            return;
        }
        timer.scheduleWithFixedDelay(this::scanQuietly, firstDelay.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** One scan of every source for every tenant, now. Serialized with the scheduled scans. */
    public synchronized void scanNow() {
        for (Tenant tenant : access.tenants()) {
            Map<String, Double> tenantPrices;
            try {
                tenantPrices = prices.prices(tenant.id());
            } catch (RuntimeException e) {
                // priced wrongly would be worse than not this scan
                LOG.warn("rightsizing: no scan for tenant {}: its prices cannot be read: {}", tenant.id(), e.toString());
                continue;
            }
            for (RecommendationSource source : sources) {
                try {
                    var outcome = copilot.record(tenant.id(), source.name(), source.scan(tenant.id(), tenantPrices));
                    LOG.info("rightsizing scan of {} for tenant {}: {}", source.name(), tenant.id(), outcome);
                } catch (RuntimeException e) {
                    LOG.warn("rightsizing source {} failed for tenant {}: {}", source.name(), tenant.id(),
                            e.toString());
                }
            }
        }
    }

    private void scanQuietly() {
        try {
            scanNow();
        } catch (RuntimeException e) {
            LOG.warn("rightsizing scan failed: {}", e.toString()); // the next one runs on schedule
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
