package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A {@link PriceOverrideStore} in memory, for tests of the stages that use it. */
public class InMemoryPriceOverrideStore implements PriceOverrideStore {
    private final Map<String, TreeMap<String, PriceOverride>> byTenant = new ConcurrentHashMap<>();

    @Override
    public synchronized List<PriceOverride> overrides(String tenantId) {
        return List.copyOf(byTenant.getOrDefault(tenantId, new TreeMap<>()).values());
    }

    @Override
    public synchronized void put(String tenantId, PriceOverride o) {
        // microseconds, as the databases keep them
        byTenant.computeIfAbsent(tenantId, t -> new TreeMap<>()).put(o.key(),
                new PriceOverride(o.key(), o.price(), o.updatedBy(), o.updatedAt().truncatedTo(ChronoUnit.MICROS)));
    }

    @Override
    public synchronized boolean delete(String tenantId, String key) {
        var prices = byTenant.get(tenantId);
        return prices != null && prices.remove(key) != null;
    }
}
