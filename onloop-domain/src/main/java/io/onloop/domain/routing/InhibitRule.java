package io.onloop.domain.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Alertmanager's inhibition: while an alert matching {@link #sourceMatchers} fires, alerts matching
 * {@link #targetMatchers} that have the same values for every label in {@link #equal} are muted
 * (a label missing on both sides counts as equal). An alert that matches both sides is never
 * muted by another alert that does too, so a rule cannot make such alerts mute each other.
 */
public record InhibitRule(List<Matcher> sourceMatchers, List<Matcher> targetMatchers, List<String> equal) {

    public InhibitRule {
        sourceMatchers = List.copyOf(sourceMatchers);
        targetMatchers = List.copyOf(targetMatchers);
        equal = List.copyOf(equal);
    }

    public boolean isSource(Map<String, String> labels) {
        return sourceMatchers.stream().allMatch(m -> m.matches(labels));
    }

    public boolean isTarget(Map<String, String> labels) {
        return targetMatchers.stream().allMatch(m -> m.matches(labels));
    }

    /** Whether the firing {@code source} alert mutes {@code target} under this rule. */
    public boolean inhibits(Map<String, String> source, Map<String, String> target) {
        if (!isTarget(target) || !isSource(source)) {
            return false;
        }
        if (isSource(target) && isTarget(source)) {
            return false;
        }
        for (String name : equal) {
            if (!Objects.equals(source.getOrDefault(name, ""), target.getOrDefault(name, ""))) {
                return false;
            }
        }
        return true;
    }
}
