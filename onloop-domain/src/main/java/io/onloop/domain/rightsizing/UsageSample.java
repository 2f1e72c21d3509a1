package io.onloop.domain.rightsizing;

/**
 * One measurement of what a workload used: the average CPU in cores over the sample interval and the
 * memory in bytes, at a time in seconds since the epoch.
 */
public record UsageSample(long epochSecond, double cpuCores, double memoryBytes) {

    public UsageSample {
        if (!(cpuCores >= 0) || !(memoryBytes >= 0)) {
            throw new IllegalArgumentException("usage must be non-negative: " + cpuCores + " cores, " + memoryBytes + " bytes");
        }
    }
}
