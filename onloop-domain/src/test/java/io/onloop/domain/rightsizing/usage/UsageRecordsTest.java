package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.UsageSample;
import io.onloop.domain.rightsizing.WorkloadRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsageRecordsTest {

    static final WorkloadRef VM = new WorkloadRef("aws", "prod", "", "EC2Instance", "i-1", "");
    static final Allocation M5_LARGE = new Allocation(2, 8L << 30);

    @Test
    void instanceHistoryJoinsCpuAndMemoryOnTheBucketsBothHave() {
        var usage = new InstanceUsage(VM, "m5.large", M5_LARGE,
                List.of(new UsagePoint(0, 0.5), new UsagePoint(300, 1.5), new UsagePoint(600, 0.2)),
                Optional.of(List.of(new UsagePoint(0, 1e9), new UsagePoint(600, 2e9))), Optional.empty());

        assertThat(usage.history()).get().satisfies(h -> {
            assertThat(h.samples()).containsExactly(new UsageSample(0, 0.5, 1e9), new UsageSample(600, 0.2, 2e9));
            assertThat(h.current()).isEqualTo(M5_LARGE);
        });
        assertThat(usage.peakCpuCores()).isEqualTo(1.5);
    }

    @Test
    void withoutMemoryThereIsNoHistoryAndTheReasonIsKept() {
        var usage = new InstanceUsage(VM, "m5.large", M5_LARGE, List.of(new UsagePoint(0, 0.5)), Optional.empty(),
                Optional.of("no CWAgent mem_used_percent"));

        assertThat(usage.history()).isEmpty();
        assertThatThrownBy(() -> new InstanceUsage(VM, "m5.large", M5_LARGE, List.of(), Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void volumeRatesArePerSecondOfTheBucket() {
        var usage = new VolumeUsage(VM, 300, List.of(
                new VolumeUsage.Period(0, 300_000, 600_000, 0, 0),                  // 3,000 IOPS
                new VolumeUsage.Period(300, 1, 1, 300.0 * 130 * 1024 * 1024, 0)));  // 130 MiB/s

        assertThat(usage.peakIops()).isEqualTo(3000);
        assertThat(usage.peakThroughputMibps()).isCloseTo(130, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(usage.fitsGp3Baseline()).isFalse();
        assertThat(new VolumeUsage(VM, 300, List.of(usage.periods().getFirst())).fitsGp3Baseline()).isTrue();
    }

    @Test
    void functionAverageDurationIsWeightedByInvocations() {
        var usage = new FunctionUsage(VM, 512, List.of(
                new FunctionUsage.Period(0, 10, 0, 0, Optional.of(100.0), Optional.of(150.0), Optional.of(200.0)),
                new FunctionUsage.Period(60, 30, 1, 2, Optional.of(200.0), Optional.of(900.0), Optional.of(310.0)),
                new FunctionUsage.Period(120, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty())),
                Optional.empty());

        assertThat(usage.averageDurationMs()).contains(175.0);
        assertThat(usage.peakMemoryUsedMb()).contains(310.0);
        assertThat(usage.totalInvocations()).isEqualTo(40);
        assertThat(usage.totalThrottles()).isEqualTo(2);
    }

    @Test
    void aWindowNeedsWholeMinutesAndAnOrder() {
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        assertThatThrownBy(() -> new UsageWindow(t, t.plusSeconds(3600), Duration.ofSeconds(90)))
                .hasMessageContaining("whole number of minutes");
        assertThatThrownBy(() -> new UsageWindow(t, t, Duration.ofMinutes(5))).hasMessageContaining("start before its end");
    }
}
