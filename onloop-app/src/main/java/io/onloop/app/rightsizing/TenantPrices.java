package io.onloop.app.rightsizing;

import io.onloop.app.api.AuditLog;
import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore.PriceOverride;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A tenant's price catalog as the API and the console show and change it: every shipped price, with the
 * tenant's own where set. Every change is written to the audit log; the scan reads the store itself.
 */
public class TenantPrices {
    private final PriceOverrideStore store;
    private final AuditLog audit;
    private final Clock clock;

    TenantPrices(PriceOverrideStore store, AuditLog audit, Clock clock) {
        this.store = store;
        this.audit = audit;
        this.clock = clock;
    }

    /**
     * @param key          e.g. {@code ec2/m5.large}
     * @param unit         what the price is per, e.g. {@code hour}, {@code GB-month}
     * @param price        the price in force for the tenant
     * @param defaultPrice the price onloop ships
     * @param overridden   whether {@code price} is the tenant's own (else it is the default)
     * @param updatedBy    who set the tenant's price; null when not overridden
     */
    public record PriceView(String key, String unit, double price, double defaultPrice, boolean overridden,
                            String updatedBy, Instant updatedAt) {
    }

    public record CatalogView(String currency, List<PriceView> prices) {
    }

    public CatalogView catalog(String tenantId) {
        Map<String, PriceOverride> own = new HashMap<>();
        store.overrides(tenantId).forEach(o -> own.put(o.key(), o));
        List<PriceView> prices = new ArrayList<>();
        defaults().prices().forEach((key, price) -> prices.add(view(key, price, own.get(key))));
        return new CatalogView(defaults().currency(), prices);
    }

    /** Whether the catalog has a price of this key (only those can be set). */
    public static boolean known(String key) {
        return defaults().prices().containsKey(key);
    }

    /**
     * Sets the tenant's price of a key, audited as {@code price.set}.
     *
     * @throws IllegalArgumentException for a key the catalog does not have or a price that is not {@link PricingCatalog#validPrice valid}
     */
    public PriceView set(String tenantId, String actor, String key, double price) {
        if (!known(key)) {
            throw new IllegalArgumentException("the catalog has no price " + key);
        }
        if (!PricingCatalog.validPrice(price)) {
            throw new IllegalArgumentException("a price must be " + PricingCatalog.VALID_PRICE + ", not " + price);
        }
        price += 0.0; // -0.0 is 0
        double shipped = defaults().prices().get(key);
        var previous = own(tenantId, key);
        if (previous.isPresent() && previous.get().price() == price) {
            return view(key, shipped, previous.get()); // nothing changes, so nothing is written or audited
        }
        var saved = new PriceOverride(key, price, actor, clock.instant());
        double newPrice = price;
        audit.inOneTransaction(() -> {
            store.put(tenantId, saved);
            audit.record(tenantId, actor, "price.set", "price", key, String.format(Locale.ROOT, "%s -> %s %s",
                    previous.map(o -> plain(o.price())).orElse("default " + plain(shipped)), plain(newPrice),
                    defaults().currency()));
            return null;
        });
        return view(key, shipped, saved);
    }

    /** Removes the tenant's price of a key, audited as {@code price.reset}; empty when it had none. */
    public Optional<PriceView> reset(String tenantId, String actor, String key) {
        var previous = own(tenantId, key);
        if (previous.isEmpty()) {
            return Optional.empty();
        }
        double shipped = defaults().prices().getOrDefault(key, previous.get().price());
        boolean deleted = audit.inOneTransaction(() -> {
            if (!store.delete(tenantId, key)) {
                return false;
            }
            audit.record(tenantId, actor, "price.reset", "price", key, String.format(Locale.ROOT, "%s -> default %s %s",
                    plain(previous.get().price()), plain(shipped), defaults().currency()));
            return true;
        });
        return deleted ? Optional.of(view(key, shipped, null)) : Optional.empty();
    }

    private Optional<PriceOverride> own(String tenantId, String key) {
        return store.overrides(tenantId).stream().filter(o -> o.key().equals(key)).findFirst();
    }

    private static PricingCatalog defaults() {
        return PricingCatalog.defaults();
    }

    private static PriceView view(String key, double shipped, PriceOverride own) {
        return own == null ? new PriceView(key, unit(key), shipped, shipped, false, null, null)
                : new PriceView(key, unit(key), own.price(), shipped, true, own.updatedBy(), own.updatedAt());
    }

    /** What a key's price is per, from its name. */
    static String unit(String key) {
        if (key.startsWith("ec2/")) {
            return "hour";
        }
        String name = key.substring(key.indexOf('/') + 1);
        if (name.endsWith("-gb-month")) {
            return "GB-month";
        }
        return switch (name) {
            case "vcpu-hour" -> "vCPU-hour";
            case "gib-hour" -> "GiB-hour";
            case "gb-second-x86_64", "gb-second-arm64" -> "GB-second";
            case "request" -> "request";
            case "gp3-throughput-month" -> "MiB/s-month";
            default -> name.endsWith("-iops-month") ? "IOPS-month" : "unit";
        };
    }

    /** A price as written, without exponent or trailing zeros: 0.0000166667, not 1.66667E-5. */
    public static String plain(double price) {
        return BigDecimal.valueOf(price).stripTrailingZeros().toPlainString();
    }
}
