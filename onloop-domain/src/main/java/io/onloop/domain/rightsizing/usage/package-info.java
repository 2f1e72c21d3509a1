/**
 * Usage of cloud resources over a window, per resource type: virtual machines (CPU cores, memory when an
 * agent reports it), serverless functions (invocations, duration, memory used) and block volumes
 * (operations and bytes). The {@link io.onloop.domain.rightsizing.usage.CloudUsage} port reads them.
 * Kubernetes containers' usage comes from Prometheus: {@link io.onloop.domain.rightsizing.usage.KubernetesUsage}
 * asks a {@link io.onloop.domain.metrics.MetricsQuery} and gives a
 * {@link io.onloop.domain.rightsizing.usage.ContainerUsage} per container.
 */
package io.onloop.domain.rightsizing.usage;
