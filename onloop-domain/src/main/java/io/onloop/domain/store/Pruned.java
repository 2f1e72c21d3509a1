package io.onloop.domain.store;

/**
 * What retention deleted ({@link EventStore.Transaction#prune}): incidents, events (the incidents' own and those in
 * no incident), and lookups of unchanged repeats whose event is gone.
 */
public record Pruned(int incidents, int events, int repeats) {
    public static final Pruned NONE = new Pruned(0, 0, 0);

    public Pruned plus(Pruned other) {
        return new Pruned(incidents + other.incidents, events + other.events, repeats + other.repeats);
    }

    public boolean isEmpty() {
        return incidents == 0 && events == 0 && repeats == 0;
    }
}
