package io.onloop.domain.rightsizing;

import java.util.List;

/**
 * A workload's past: its usage samples in time order, and the allocation it has now.
 */
public record UsageHistory(List<UsageSample> samples, Allocation current) {

    public UsageHistory {
        samples = List.copyOf(samples);
        if (current == null) {
            throw new IllegalArgumentException("the current allocation is required");
        }
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).epochSecond() <= samples.get(i - 1).epochSecond()) {
                throw new IllegalArgumentException("samples must be in strictly increasing time order (at " + i + ")");
            }
        }
    }
}
