package io.onloop.domain.store;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * An alert firing in an open incident ({@link EventStore#firingAlerts}).
 *
 * @param since  when its episode began by its sender's clock, or when it was last seen if the sender gave no time
 * @param labels the labels of the event that started it
 */
public record FiringAlert(String fingerprint, Instant since, Map<String, String> labels) {
    public FiringAlert {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(since, "since");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
