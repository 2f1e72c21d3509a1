package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.List;

/**
 * What one block volume did, bucket by bucket: operations and bytes read and written (sums per bucket).
 * Rates are averages over a bucket, so bursts shorter than the bucket do not show: read the peaks with
 * a bucket as short as the history allows.
 *
 * @param periodSeconds the bucket length the sums are over
 */
public record VolumeUsage(WorkloadRef ref, long periodSeconds, List<Period> periods) {

    /** gp3's included performance: 3,000 IOPS and 125 MiB/s at any size. */
    public static final int GP3_BASELINE_IOPS = 3000;
    public static final int GP3_BASELINE_MIBPS = 125;

    public VolumeUsage {
        periods = List.copyOf(periods);
        if (periodSeconds <= 0) {
            throw new IllegalArgumentException("the period must be positive: " + periodSeconds);
        }
    }

    /** One bucket's sums. */
    public record Period(long epochSecond, double readOps, double writeOps, double readBytes, double writeBytes) {
    }

    /** The busiest bucket's operations per second, read and write together. */
    public double peakIops() {
        return periods.stream().mapToDouble(p -> (p.readOps() + p.writeOps()) / periodSeconds).max().orElse(0);
    }

    /** The busiest bucket's throughput in MiB/s, read and write together. */
    public double peakThroughputMibps() {
        return periods.stream().mapToDouble(p -> (p.readBytes() + p.writeBytes()) / periodSeconds / (1024.0 * 1024))
                .max().orElse(0);
    }

    /** Whether the peaks fit in gp3's baseline, so a move to gp3 needs no provisioned IOPS or throughput. */
    public boolean fitsGp3Baseline() {
        return peakIops() <= GP3_BASELINE_IOPS && peakThroughputMibps() <= GP3_BASELINE_MIBPS;
    }
}
