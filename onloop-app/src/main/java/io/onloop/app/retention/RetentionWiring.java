package io.onloop.app.retention;

import io.micrometer.core.instrument.MeterRegistry;
import io.onloop.app.config.OnloopProperties;
import io.onloop.domain.access.AccessStore;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.ingest.EventIngestor;
import io.onloop.domain.store.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class RetentionWiring {

    @Bean(initMethod = "start", destroyMethod = "close")
    RetentionJob retentionJob(EventStore store, DeliveryStore deliveries, EventIngestor ingestor, AccessStore access,
                              OnloopProperties props, Clock clock, MeterRegistry meters) {
        return new RetentionJob(store, deliveries, ingestor, access, props.retention(), clock, meters);
    }
}
