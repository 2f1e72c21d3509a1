package io.onloop.app.routing;

import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.adapters.delivery.DeliveryWorker;
import io.onloop.adapters.delivery.InboxTarget;
import io.onloop.domain.delivery.NotificationTarget;
import io.onloop.domain.inbox.TicketStore;
import java.util.LinkedHashMap;
import java.util.Map;
import io.onloop.adapters.delivery.RoutesYaml;
import io.onloop.adapters.delivery.Targets;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.store.FiringAlert;
import io.onloop.domain.delivery.RetryPolicy;
import io.onloop.domain.incident.IncidentListener;
import io.onloop.domain.routing.RecipeSummaries;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

/**
 * Routing and delivery wiring. The routing service is a {@code CommittedEventsListener} bean, so
 * the ingestor hands it every committed batch; the delivery worker drains the outbox.
 */
@Configuration(proxyBeanMethods = false)
public class RoutingWiring {

    /** The adapters of onloop-adapter-delivery, and the inbox over onloop's own store. */
    @Bean
    TargetCatalog targetCatalog(JdbcStores stores, Clock clock) {
        Map<String, NotificationTarget> all = new LinkedHashMap<>(Targets.defaults());
        all.put(InboxTarget.DESCRIPTOR.type(), new InboxTarget(stores.ticketStore(), clock));
        return new TargetCatalog(all);
    }

    @Bean
    TicketStore ticketStore(JdbcStores stores) {
        return stores.ticketStore();
    }

    @Bean
    DeliveryStore deliveryStore(JdbcStores stores) {
        return stores.deliveryStore();
    }

    /**
     * Runbook text comes from a {@link RecipeSummaries} bean when the runbook stage provides one;
     * until then notifications carry none.
     */
    @Bean(initMethod = "start", destroyMethod = "close")
    RoutingService routingService(JdbcStores stores, TargetCatalog targets, ObjectProvider<RecipeSummaries> recipes,
                                  Clock clock, RoutingProperties props) {
        return new RoutingService(stores.routingConfigStore(), stores.silenceStore(), stores.deliveryStore(),
                targets.targets(), stores.eventStore(),
                stores.groupLog(), () -> stores.accessStore().tenants().stream()
                        .flatMap(t -> stores.eventStore().firingAlerts(t.id()).stream()).map(FiringAlert::event).toList(),
                new RoutesYaml(Targets.descriptors(targets.targets())), recipes.getIfAvailable(() -> RecipeSummaries.NONE),
                stores.transactions(), clock, props);
    }

    /** Passes acknowledgements of incidents on to the threads that carried them (PagerDuty, Slack). */
    @Bean
    IncidentListener acknowledgementRelay(DeliveryStore store, TargetCatalog targets, RoutingService routing,
                                          Clock clock) {
        return new AcknowledgementRelay(store, targets.targets(), routing::target, clock);
    }

    @Bean(destroyMethod = "close")
    DeliveryWorker deliveryWorker(DeliveryStore store, TargetCatalog targets, RoutingService routing,
                                  Clock clock, RoutingProperties props, MeterRegistry meters) {
        DeliveryWorker worker = new DeliveryWorker(store, targets.targets(), routing::target,
                new RetryPolicy(props.retryBase(), props.retryCap(), props.maxAttempts()),
                DeliveryWorker.defaultBreaker(), clock, meters);
        worker.start(props.deliveryPoll());
        return worker;
    }
}
