package io.onloop.domain.store;

import io.onloop.domain.event.Event;

import java.time.Instant;
import java.util.Objects;

/**
 * An alert firing in an open incident ({@link EventStore#firingAlerts}).
 *
 * @param event the event that started its firing state (its repeats counted on it)
 * @param since when its episode began by its sender's clock, or when it was last seen if the sender gave no time
 */
public record FiringAlert(Event event, Instant since) {
    public FiringAlert {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(since, "since");
    }

    public String fingerprint() {
        return event.fingerprint();
    }
}
