package io.onloop.domain.rightsizing;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Why a recommendation says what it says: the history it looked at and the statistics it used.
 *
 * @param historyStart the first sample considered
 * @param historyEnd   the last sample considered
 * @param samples      how many samples
 * @param statistics   named figures, e.g. {@code cpu.p95} (cores), {@code memory.max} (bytes),
 *                     {@code cpu.throttledRatio}, {@code memory.oomKills}
 * @param notes        plain sentences for people, e.g. "scaled by an HPA on CPU at 70% target"
 */
public record Evidence(Instant historyStart, Instant historyEnd, long samples, Map<String, Double> statistics,
                       List<String> notes) {

    public Evidence {
        Objects.requireNonNull(historyStart, "historyStart");
        Objects.requireNonNull(historyEnd, "historyEnd");
        statistics = Map.copyOf(statistics);
        notes = List.copyOf(notes);
    }
}
