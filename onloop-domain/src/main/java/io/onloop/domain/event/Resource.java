package io.onloop.domain.event;

import java.util.Objects;

/**
 * The stable identity of the thing an event is about.
 *
 * @param kind one of {@code aws}, {@code azure}, {@code gcp}, {@code kubernetes}, {@code host},
 *             {@code service} or {@code unknown}
 * @param id   the canonical identity: an ARN, an Azure resource ID, a GCP resource name
 *             ({@code type:project/labels...}), {@code namespace/Kind/name} for Kubernetes, a host name
 * @param name a short human name (the last path segment, the instance name)
 */
public record Resource(String kind, String id, String name) {
    public static final Resource UNKNOWN = new Resource("unknown", "", "");

    public Resource {
        kind = Objects.requireNonNullElse(kind, "unknown");
        id = Objects.requireNonNullElse(id, "");
        name = Objects.requireNonNullElse(name, id);
    }

    public static Resource of(String kind, String id) {
        if (id == null || id.isBlank()) {
            return UNKNOWN;
        }
        int cut = Math.max(id.lastIndexOf('/'), id.lastIndexOf(':'));
        return new Resource(kind, id, cut >= 0 && cut < id.length() - 1 ? id.substring(cut + 1) : id);
    }

    /** A Prometheus {@code instance} as a host named by its host: "10.0.0.1:9100" → "10.0.0.1", "[::1]:9100" → "::1". */
    public static Resource host(String instance) {
        if (instance == null || instance.isBlank()) {
            return UNKNOWN;
        }
        String host = instance;
        if (instance.startsWith("[") && instance.contains("]")) {
            host = instance.substring(1, instance.indexOf(']'));
        } else {
            int colon = instance.lastIndexOf(':');
            boolean port = colon > 0 && colon == instance.indexOf(':')
                    && instance.substring(colon + 1).chars().allMatch(Character::isDigit);
            host = port ? instance.substring(0, colon) : instance;
        }
        return new Resource("host", instance, host);
    }

    public boolean isKnown() {
        return !id.isEmpty();
    }
}
