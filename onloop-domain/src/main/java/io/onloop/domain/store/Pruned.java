package io.onloop.domain.store;

/**
 * What retention deleted: incidents, events (the incidents' own and those in no incident), lookups of unchanged
 * repeats whose event is gone, episode ends ({@link EventStore.Transaction#prune}), and finished deliveries
 * ({@link io.onloop.domain.delivery.DeliveryStore#pruneFinished}).
 */
public record Pruned(int incidents, int events, int repeats, int deliveries, int episodeEnds) {
    public static final Pruned NONE = new Pruned(0, 0, 0, 0, 0);

    /** What the event store deleted, but episode ends. */
    public Pruned(int incidents, int events, int repeats) {
        this(incidents, events, repeats, 0, 0);
    }

    public static Pruned deliveries(int deliveries) {
        return new Pruned(0, 0, 0, deliveries, 0);
    }

    /**
     * The most events of incidents one prune call deletes, for a limit of incidents: an incident of a long storm can
     * hold far more events than its neighbours, and one transaction should not hold them all.
     */
    public static int eventBudget(int limit) {
        return Math.multiplyExact(limit, 10);
    }

    public Pruned plus(Pruned other) {
        return new Pruned(incidents + other.incidents, events + other.events, repeats + other.repeats,
                deliveries + other.deliveries, episodeEnds + other.episodeEnds);
    }

    public boolean isEmpty() {
        return incidents == 0 && events == 0 && repeats == 0 && deliveries == 0 && episodeEnds == 0;
    }
}
