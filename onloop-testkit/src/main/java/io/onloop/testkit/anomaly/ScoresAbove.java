package io.onloop.testkit.anomaly;

import io.onloop.domain.anomaly.AnomalyDetector;

/** Scores 1 above {@code level} and 0 otherwise: the watcher's episode logic in tests, free of any detector's tuning. */
public record ScoresAbove(double level) implements AnomalyDetector {
    @Override
    public double score(long epochMillis, double value) {
        return value > level ? 1 : 0;
    }

    @Override
    public long stateBytes() {
        return 0;
    }
}
