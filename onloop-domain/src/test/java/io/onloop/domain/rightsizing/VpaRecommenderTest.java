package io.onloop.domain.rightsizing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.onloop.domain.rightsizing.Load.DAY;
import static io.onloop.domain.rightsizing.Load.GIB;
import static io.onloop.domain.rightsizing.Load.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VpaRecommenderTest {

    private static final Allocation BIG = new Allocation(8, 16 * GIB);
    private final VpaRecommender vpa = new VpaRecommender();

    @Test
    void constantLoadGetsP90PlusTheSafetyMarginRoundedUpToItsBucket() {
        Allocation a = vpa.recommend(new Load().constant(3 * DAY, 1.0, GIB).with(BIG));
        // the percentile is the end of the 5%-wide bucket holding the value, then +15%
        assertThat(a.cpuCores()).isBetween(1.15, 1.15 * 1.06);
        assertThat(a.memoryBytes()).isBetween(1.15 * GIB, 1.15 * 1.06 * GIB);
    }

    @Test
    void aSingleCpuSpikeDoesNotMoveP90() {
        Allocation a = vpa.recommend(new Load().constant(3 * DAY, 1.0, GIB).spike(8.0, GIB).constant(DAY, 1.0, GIB).with(BIG));
        assertThat(a.cpuCores()).isLessThan(1.3);
    }

    @Test
    void aStepUpIsFollowedWithinADayBecauseOldSamplesDecay() {
        Allocation a = vpa.recommend(new Load().constant(3 * DAY, 0.5, GIB).constant(DAY, 2.0, 2 * GIB).with(BIG));
        assertThat(a.cpuCores()).isGreaterThanOrEqualTo(2.0 * 1.15);
        assertThat(a.memoryBytes()).isGreaterThanOrEqualTo(2 * GIB * 1.15);
    }

    @Test
    void aStepDownIsFollowedOnceTheOldPeaksHaveDecayed() {
        Allocation a = vpa.recommend(new Load().constant(3 * DAY, 2.0, 4 * GIB).constant(8 * DAY, 0.5, GIB).with(BIG));
        assertThat(a.cpuCores()).isLessThan(0.7);
        assertThat(a.memoryBytes()).isLessThan(1.3 * GIB);
    }

    @Test
    void noHistoryKeepsTheCurrentAllocation() {
        assertThat(vpa.recommend(new UsageHistory(List.of(), BIG))).isEqualTo(BIG);
    }

    @Test
    void anOomBumpsMemoryToTwentyPercentAboveTheLimit() {
        Allocation limit = new Allocation(2, GIB);
        // a day at half the limit, then the workload reaches it
        Allocation a = vpa.recommend(new Load().constant(DAY, 0.5, 0.5 * GIB).spike(0.5, GIB).with(limit));
        // max(1 GiB + 100 MiB, 1 GiB x 1.2) = 1.2 GiB becomes the day's peak; target = p90 of peaks + 15%
        assertThat(a.memoryBytes()).isGreaterThanOrEqualTo(1.2 * GIB * 1.15);
        assertThat(a.memoryBytes()).isGreaterThan(GIB + 100 * MIB);
    }

    @Test
    void anIdleWorkloadGetsThePodMinimums() {
        Allocation a = vpa.recommend(new Load().constant(DAY, 0.0, 0.0).with(BIG));
        assertThat(a.cpuCores()).isEqualTo(0.025);
        assertThat(a.memoryBytes()).isEqualTo(250 * MIB);
    }

    @Test
    void boundsWidenWithLittleHistoryAndNarrowWithMore() {
        VpaRecommender.State state = vpa.follow(BIG);
        new Load().constant(DAY, 1.0, GIB).with(BIG).samples().forEach(s -> state.observe(s, BIG));
        // 288 samples: confidence = min(1 day, 288 / 1440) = 0.2, so the upper bound is p95 x 1.15 x (1 + 1/0.2)
        assertThat(state.confidence()).isCloseTo(0.2, within(1e-9));
        assertThat(state.upperBound().cpuCores()).isCloseTo(state.target().cpuCores() * 6, within(0.01));
        assertThat(state.lowerBound().cpuCores()).isLessThanOrEqualTo(state.target().cpuCores());

        VpaRecommender.State longer = vpa.follow(BIG);
        new Load().constant(30 * DAY, 1.0, GIB).with(BIG).samples().forEach(s -> longer.observe(s, BIG));
        assertThat(longer.confidence()).isCloseTo(30 * 288 / 1440.0, within(0.01));
        assertThat(longer.upperBound().cpuCores()).isLessThan(state.upperBound().cpuCores());
    }

    @Test
    void histogramBucketsFollowVpaExponentialOptions() {
        DecayingHistogram cpu = DecayingHistogram.cpuCores(DAY);
        assertThat(cpu.findBucket(0.005)).isZero();
        assertThat(cpu.bucketStart(1)).isCloseTo(0.01, within(1e-12));
        assertThat(cpu.bucketStart(2)).isCloseTo(0.01 + 0.0105, within(1e-12));
        for (double v : new double[]{0.01, 0.3, 1.0, 17.5, 999.0}) {
            int b = cpu.findBucket(v);
            assertThat(cpu.bucketStart(b)).isLessThanOrEqualTo(v * (1 + 1e-12));
            assertThat(cpu.bucketStart(b + 1)).isGreaterThan(v);
        }
    }
}
