package io.onloop.domain.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of places a notification goes to, as in Alertmanager's receivers. An empty receiver
 * is allowed and drops what reaches it (Alertmanager's "blackhole").
 */
public record Receiver(String name, List<Target> targets) {

    public Receiver {
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
    }

    /**
     * One target of a receiver.
     *
     * @param type     the adapter's type id ({@code slack}, {@code webhook}, {@code pagerduty}, ...)
     * @param name     unique within the receiver; {@code receiver/name} identifies the target for retries,
     *                 circuit breaking and threading
     * @param settings the adapter's settings, as declared by its descriptor
     */
    public record Target(String type, String name, Map<String, String> settings) {
        public Target {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(name, "name");
            settings = Map.copyOf(settings);
        }

        /** Where it sends, as a hash of its type and settings (secrets included, so never stored as they are). */
        public String digest() {
            StringBuilder identity = new StringBuilder(type);
            new java.util.TreeMap<>(settings).forEach((k, v) -> identity.append('\n').append(k).append('=').append(v));
            return io.onloop.domain.text.Digests.sha256Short(identity.toString());
        }
    }
}
