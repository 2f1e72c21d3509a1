/**
 * What exists and how it is configured now, as the inventory adapters (fabric8, AWS SDK) report it. The
 * recommenders read these records; the adapters fill them. Usage comes separately, as
 * {@link io.onloop.domain.rightsizing.UsageHistory} from a {@link io.onloop.domain.metrics.MetricsQuery}
 * or an adapter's own metrics API.
 */
package io.onloop.domain.rightsizing.inventory;
