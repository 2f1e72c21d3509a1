package io.onloop.domain.rightsizing.copilot;

import io.onloop.domain.rightsizing.PricingCatalog;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Port: a tenant's own prices, each replacing one price of the catalog by its key (see
 * {@link PricingCatalog#prices()}), e.g. {@code ec2/m5.large} at the tenant's negotiated rate. The recommendations
 * of a tenant are priced with the catalog with these applied ({@link PricingCatalog#withPrices}).
 */
public interface PriceOverrideStore {

    /** One overridden price, who set it and when. */
    record PriceOverride(String key, double price, String updatedBy, Instant updatedAt) {
    }

    /** The tenant's overrides, in key order. */
    List<PriceOverride> overrides(String tenantId);

    /** Sets (or replaces) the tenant's price for {@code override.key()}. */
    void put(String tenantId, PriceOverride override);

    /** Removes the tenant's price for the key; false when there was none. */
    boolean delete(String tenantId, String key);

    /** The tenant's overrides as key to price, for {@link PricingCatalog#withPrices}. */
    default Map<String, Double> prices(String tenantId) {
        Map<String, Double> prices = new LinkedHashMap<>();
        overrides(tenantId).forEach(o -> prices.put(o.key(), o.price()));
        return prices;
    }
}
