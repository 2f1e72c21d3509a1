package io.onloop.domain.rightsizing.usage;

/** One value of a usage series: the bucket starting at {@code epochSecond}. */
public record UsagePoint(long epochSecond, double value) {

    /**
     * Whether a figure can be a usage at all: finite and not negative. A metrics backend answers NaN (0/0), or a
     * broken agent a negative percentage, now and then; such a point is left out, as a gap.
     */
    public static boolean usable(double value) {
        return Double.isFinite(value) && value >= 0;
    }
}
