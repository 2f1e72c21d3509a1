package io.onloop.domain.rightsizing;

import java.util.Objects;

/**
 * What a recommendation is about.
 *
 * @param provider    {@code kubernetes} or {@code aws}
 * @param environment the cluster or account (and region) the workload runs in, as configured
 * @param namespace   the Kubernetes namespace; empty for AWS resources
 * @param kind        {@code Deployment}, {@code StatefulSet}, {@code DaemonSet}, {@code EC2Instance},
 *                    {@code LambdaFunction} or {@code EBSVolume}
 * @param name        the workload's name, or the AWS resource id
 * @param container   the container within the pod template; empty for AWS resources
 */
public record WorkloadRef(String provider, String environment, String namespace, String kind, String name,
                          String container) {

    public WorkloadRef {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        environment = Objects.requireNonNullElse(environment, "");
        namespace = Objects.requireNonNullElse(namespace, "");
        container = Objects.requireNonNullElse(container, "");
    }

    /** A stable key, e.g. {@code kubernetes/prod/shop/Deployment/cart/app}. */
    public String key() {
        return String.join("/", provider, environment, namespace, kind, name, container);
    }
}
