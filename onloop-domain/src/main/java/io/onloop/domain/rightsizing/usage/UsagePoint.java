package io.onloop.domain.rightsizing.usage;

/** One value of a usage series: the bucket starting at {@code epochSecond}. */
public record UsagePoint(long epochSecond, double value) {
}
