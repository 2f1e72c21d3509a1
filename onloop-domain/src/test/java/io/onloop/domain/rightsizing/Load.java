package io.onloop.domain.rightsizing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/** Synthetic usage for the recommender tests: one sample every 5 minutes, as in the Bitbrains trace. */
final class Load {

    static final long STEP = 300;
    static final long HOUR = 3600;
    static final long DAY = 24 * HOUR;
    static final double GIB = 1024.0 * 1024 * 1024;
    static final double MIB = 1024.0 * 1024;
    static final long START = 1_372_629_600L;  // 2013-07-01, where the trace starts

    private final List<UsageSample> samples = new ArrayList<>();
    private long next = START;

    /** {@code seconds} of constant usage. */
    Load constant(long seconds, double cpuCores, double memoryBytes) {
        return shaped(seconds, t -> new double[]{cpuCores, memoryBytes});
    }

    /** One 5-minute sample. */
    Load spike(double cpuCores, double memoryBytes) {
        return constant(STEP, cpuCores, memoryBytes);
    }

    /** {@code seconds} of usage given by a function of the seconds since this stretch began. */
    Load shaped(long seconds, LongFunction<double[]> usage) {
        long begin = next;
        for (; next < begin + seconds; next += STEP) {
            double[] u = usage.apply(next - begin);
            samples.add(new UsageSample(next, u[0], u[1]));
        }
        return this;
    }

    List<UsageSample> samples() {
        return List.copyOf(samples);
    }

    UsageHistory with(Allocation current) {
        return new UsageHistory(samples, current);
    }
}
