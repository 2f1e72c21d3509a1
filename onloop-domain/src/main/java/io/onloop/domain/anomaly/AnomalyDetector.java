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

    /** Approximate bytes of state this detector holds for its series (bounded). */
    long stateBytes();
}
