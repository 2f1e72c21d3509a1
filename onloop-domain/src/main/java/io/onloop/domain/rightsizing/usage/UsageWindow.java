package io.onloop.domain.rightsizing.usage;

import java.time.Duration;
import java.time.Instant;

/**
 * The stretch of the past to read usage over, in buckets of {@code period} (one value per bucket).
 * Metrics backends keep fine buckets only for a while (CloudWatch: 1 minute for 15 days, 5 minutes for
 * 63 days, 1 hour for 455 days), so an adapter may widen the period for an old start; it says so.
 */
public record UsageWindow(Instant start, Instant end, Duration period) {

    public UsageWindow {
        if (start == null || end == null || period == null || !start.isBefore(end)) {
            throw new IllegalArgumentException("a usage window needs a start before its end: " + start + " .. " + end);
        }
        if (period.toSeconds() < 60 || period.toSeconds() % 60 != 0 || period.toNanosPart() != 0) {
            throw new IllegalArgumentException("the period must be a whole number of minutes: " + period);
        }
    }
}
