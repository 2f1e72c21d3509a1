package io.onloop.app.routing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Routing and delivery settings, under {@code onloop.routing.*}.
 *
 * @param file          a route file (YAML, see docs/routing.md) used by every tenant that has not saved its own
 *                      through {@code PUT /api/v1/routes}; unset means such tenants route nowhere
 * @param queueCapacity committed events waiting for the routing thread; beyond it events are stored and grouped
 *                      but not routed (logged), so ingestion never waits for routing
 * @param deliveryPoll  how often the delivery worker looks for due deliveries
 * @param retryBase     first retry delay (doubled each attempt, with jitter)
 * @param retryCap      longest delay between attempts
 * @param maxAttempts   attempts before a delivery is dead
 */
@ConfigurationProperties("onloop.routing")
public record RoutingProperties(
        Path file,
        @DefaultValue("100000") int queueCapacity,
        @DefaultValue("1s") Duration deliveryPoll,
        @DefaultValue("5s") Duration retryBase,
        @DefaultValue("10m") Duration retryCap,
        @DefaultValue("20") int maxAttempts) {
}
