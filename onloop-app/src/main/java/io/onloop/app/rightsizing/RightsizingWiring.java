package io.onloop.app.rightsizing;

import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.app.api.AuditLog;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.PriceOverrideStore;
import io.onloop.domain.rightsizing.copilot.RecommendationSource;
import io.onloop.domain.rightsizing.copilot.RecommendationStore;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.Transactions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The rightsizing copilot: the recommendation store, the {@link Copilot}, and the scan that asks every
 * {@link RecommendationSource} bean for recommendations on a schedule.
 */
@Configuration(proxyBeanMethods = false)
public class RightsizingWiring {

    /**
     * @param scanInterval   how often every recommendation source is asked
     * @param firstScanDelay how long after the start the first scan waits (sources may need to warm up)
     */
    @ConfigurationProperties("onloop.rightsizing")
    public record RightsizingProperties(@DefaultValue("1h") Duration scanInterval,
                                        @DefaultValue("1m") Duration firstScanDelay) {
    }

    /**
     * The shipped price catalog, with a source's CSV of overrides when it names one. A tenant's own prices
     * (PricesController) go on top of this at each scan.
     */
    static PricingCatalog catalog(Path overrides) throws IOException {
        PricingCatalog catalog = PricingCatalog.defaults();
        return overrides == null ? catalog : catalog.withOverrides(Files.readString(overrides));
    }

    @Bean
    RecommendationStore recommendationStore(JdbcStores stores) {
        return stores.recommendationStore();
    }

    @Bean
    PriceOverrideStore priceOverrideStore(JdbcStores stores) {
        return stores.priceOverrideStore();
    }

    @Bean
    TenantPrices tenantPrices(PriceOverrideStore store, AuditLog audit, Clock clock) {
        return new TenantPrices(store, audit, clock);
    }

    @Bean
    Copilot copilot(RecommendationStore store, EventStore events, Transactions transactions, Clock clock) {
        return new Copilot(store, events, transactions, clock);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    RecommendationScanner recommendationScanner(ObjectProvider<RecommendationSource> sources, AccessStore access,
                                                PriceOverrideStore prices, Copilot copilot, RightsizingProperties props) {
        return new RecommendationScanner(sources.orderedStream().toList(), access, prices, copilot,
                props.firstScanDelay(), props.scanInterval());
    }
}
