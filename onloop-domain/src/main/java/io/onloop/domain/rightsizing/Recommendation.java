package io.onloop.domain.rightsizing;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What onloop recommends for one workload, with the money and the risk.
 *
 * @param direction       {@link Direction#DOWN} frees money, {@link Direction#UP} feeds a starved workload
 * @param monthlyCostNow  the catalog price of what is configured now, per month, in the catalog's currency
 * @param monthlyCostAfter the catalog price after the change
 * @param currency        ISO 4217, e.g. {@code USD}
 * @param risk            0 (safe) to 1 (likely to hurt); {@code riskReasons} says why
 * @param confidence      0 to 1, growing with the length and completeness of the history
 */
public record Recommendation(WorkloadRef workload, Direction direction, List<SettingChange> changes, Evidence evidence,
                             double monthlyCostNow, double monthlyCostAfter, String currency, double risk,
                             List<String> riskReasons, double confidence, Instant computedAt) {

    public enum Direction { DOWN, UP }

    public Recommendation {
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(direction, "direction");
        changes = List.copyOf(changes);
        if (changes.isEmpty()) {
            throw new IllegalArgumentException("a recommendation changes at least one setting");
        }
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(currency, "currency");
        riskReasons = List.copyOf(riskReasons);
        if (!(risk >= 0 && risk <= 1) || !(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("risk and confidence are between 0 and 1: " + risk + ", " + confidence);
        }
        Objects.requireNonNull(computedAt, "computedAt");
    }

    /** Money saved per month; negative when the change costs more (an UP recommendation). */
    public double monthlySavings() {
        return monthlyCostNow - monthlyCostAfter;
    }
}
