package io.onloop.domain.ingest;

import io.onloop.domain.event.Event;

import java.util.List;

/**
 * A later stage (enrichment, routing, live views) that hears about events once they are stored
 * with their incident ids. Called on the ingest writer's thread: it must hand the events off
 * quickly (to its own queue) and must not throw.
 */
@FunctionalInterface
public interface CommittedEventsListener {
    void committed(List<Event> events);
}
