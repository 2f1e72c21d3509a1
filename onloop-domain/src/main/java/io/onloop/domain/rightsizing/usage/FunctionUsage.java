package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.List;
import java.util.Optional;

/**
 * What one serverless function did, bucket by bucket: invocations, errors, throttles, duration and,
 * where the provider's in-function agent reports it (AWS: Lambda Insights), the peak memory used.
 *
 * @param memoryMb     the memory the function is configured with now
 * @param memoryAbsent why {@link Period#maxMemoryUsedMb()} is empty throughout, when it is
 */
public record FunctionUsage(WorkloadRef ref, int memoryMb, List<Period> periods, Optional<String> memoryAbsent) {

    public FunctionUsage {
        periods = List.copyOf(periods);
    }

    /**
     * One bucket. Durations are empty when the function was not invoked in it.
     *
     * @param maxMemoryUsedMb the peak memory any invocation used in the bucket
     */
    public record Period(long epochSecond, double invocations, double errors, double throttles,
                         Optional<Double> averageDurationMs, Optional<Double> maxDurationMs,
                         Optional<Double> maxMemoryUsedMb) {
    }

    public double totalInvocations() {
        return periods.stream().mapToDouble(Period::invocations).sum();
    }

    public double totalThrottles() {
        return periods.stream().mapToDouble(Period::throttles).sum();
    }

    /** The highest memory any invocation used over the whole window, when measured. */
    public Optional<Double> peakMemoryUsedMb() {
        return periods.stream().flatMap(p -> p.maxMemoryUsedMb().stream()).max(Double::compare);
    }

    /** Invocation-weighted average duration over the window, when there were invocations. */
    public Optional<Double> averageDurationMs() {
        double weighted = 0;
        double invocations = 0;
        for (Period p : periods) {
            if (p.averageDurationMs().isPresent() && p.invocations() > 0) {
                weighted += p.averageDurationMs().get() * p.invocations();
                invocations += p.invocations();
            }
        }
        return invocations > 0 ? Optional.of(weighted / invocations) : Optional.empty();
    }
}
