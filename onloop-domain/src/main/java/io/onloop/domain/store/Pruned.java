package io.onloop.domain.store;

/**
 * What retention deleted ({@link EventStore.Transaction#prune}): incidents, events (the incidents' own and those in
 * no incident), and lookups of unchanged repeats whose event is gone.
 */
public record Pruned(int incidents, int events, int repeats) {
    public static final Pruned NONE = new Pruned(0, 0, 0);

    /**
     * The most events of incidents one prune call deletes, for a limit of incidents: an incident of a long storm can
     * hold far more events than its neighbours, and one transaction should not hold them all.
     */
    public static int eventBudget(int limit) {
        return Math.multiplyExact(limit, 10);
    }

    public Pruned plus(Pruned other) {
        return new Pruned(incidents + other.incidents, events + other.events, repeats + other.repeats);
    }

    public boolean isEmpty() {
        return incidents == 0 && events == 0 && repeats == 0;
    }
}
