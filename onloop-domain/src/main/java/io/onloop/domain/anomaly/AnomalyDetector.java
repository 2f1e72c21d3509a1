package io.onloop.domain.anomaly;

/**
 * A streaming anomaly detector for one metric series. It learns online (no training step),
 * keeps bounded state whatever the series length, and scores each point as it arrives.
 * One instance per series; not thread-safe.
 */
public interface AnomalyDetector {

    /**
     * Learns from the point and returns how anomalous it is: 0 is normal, 1 is certainly
     * anomalous. Points must arrive in time order.
     */
    double score(long epochMillis, double value);

    /**
     * Learns from a point of history, on which nothing is raised. By default the point is scored and the
     * score dropped, so a detector that goes quiet after an alarm may start its quiet period on an alarm in
     * the history ({@link EnsembleDetector} and {@link KnnConformalDetector} do; their scores right after
     * one are not to be trusted either, see docs/anomaly.md). {@link NoveltyDetector} does not.
     */
    default void learn(long epochMillis, double value) {
        score(epochMillis, value);
    }

    /** Approximate bytes of state this detector holds for its series (bounded). */
    long stateBytes();
}
