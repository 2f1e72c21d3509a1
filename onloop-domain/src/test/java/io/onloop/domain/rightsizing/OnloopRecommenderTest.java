package io.onloop.domain.rightsizing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.onloop.domain.rightsizing.Load.DAY;
import static io.onloop.domain.rightsizing.Load.GIB;
import static io.onloop.domain.rightsizing.Load.HOUR;
import static io.onloop.domain.rightsizing.Load.MIB;
import static org.assertj.core.api.Assertions.assertThat;

class OnloopRecommenderTest {

    private static final Allocation BIG = new Allocation(8, 16 * GIB);
    private final OnloopRecommender onloop = new OnloopRecommender();

    @Test
    void constantLoadGetsCloseToTheUsage() {
        Allocation a = onloop.recommend(new Load().constant(3 * DAY, 1.0, GIB).with(BIG));
        assertThat(a.cpuCores()).isBetween(1.0, 1.3);
        assertThat(a.memoryBytes()).isBetween(1.0 * GIB, 1.3 * GIB);
    }

    @Test
    void aCpuSpikeIsIgnoredButAMemorySpikeIsRespectedForADay() {
        Load load = new Load().constant(7 * DAY, 1.0, GIB).spike(8.0, 4 * GIB).constant(6 * HOUR, 1.0, GIB);
        Allocation a = onloop.recommend(load.with(BIG));
        assertThat(a.cpuCores()).isLessThan(1.5);
        assertThat(a.memoryBytes()).isGreaterThanOrEqualTo(4 * GIB);  // memory is conservative
        Allocation later = onloop.recommend(load.constant(3 * DAY, 1.0, GIB).with(BIG));
        assertThat(later.memoryBytes()).isLessThan(2 * GIB);
    }

    @Test
    void aStepUpGoesUp() {
        Allocation a = onloop.recommend(new Load().constant(3 * DAY, 0.5, GIB).constant(DAY, 2.0, 2 * GIB).with(new Allocation(0.6, 1.2 * GIB)));
        assertThat(a.cpuCores()).isGreaterThanOrEqualTo(2.0);
        assertThat(a.memoryBytes()).isGreaterThanOrEqualTo(2 * GIB);
    }

    @Test
    void aStepDownGoesDown() {
        Allocation a = onloop.recommend(new Load().constant(3 * DAY, 2.0, 4 * GIB).constant(7 * DAY, 0.5, GIB).with(BIG));
        assertThat(a.cpuCores()).isLessThan(0.7);
        assertThat(a.memoryBytes()).isLessThan(1.5 * GIB);
    }

    @Test
    void noHistoryOrLessThanSixHoursKeepsTheCurrentAllocation() {
        assertThat(onloop.recommend(new UsageHistory(List.of(), BIG))).isEqualTo(BIG);
        assertThat(onloop.recommend(new Load().constant(5 * HOUR, 1.0, GIB).with(BIG))).isEqualTo(BIG);
    }

    @Test
    void cpuMovesAfterSixHoursButMemoryWaitsADay() {
        Allocation a = onloop.recommend(new Load().constant(12 * HOUR, 1.0, GIB).with(BIG));
        assertThat(a.cpuCores()).isBetween(1.0, 1.5);
        assertThat(a.memoryBytes()).isEqualTo(BIG.memoryBytes());
    }

    @Test
    void aNearlyIdleWorkloadGoesBelowVpasMinimumsButNotBelowFiveMillicoresOr32Mib() {
        Allocation a = onloop.recommend(new Load().constant(3 * DAY, 0.003, 100 * MIB).with(BIG));
        assertThat(a.cpuCores()).isBetween(0.005, 0.01);
        // below VPA's 250 MB, above the 100 MiB used
        assertThat(a.memoryBytes()).isBetween(100 * MIB, VpaRecommender.MIN_MEMORY_BYTES);
        Allocation tiny = onloop.recommend(new Load().constant(3 * DAY, 0.003, 5 * MIB).with(BIG));
        assertThat(tiny.memoryBytes()).isEqualTo(32 * MIB);
        Allocation zero = onloop.recommend(new Load().constant(3 * DAY, 0.0, 100 * MIB).with(BIG));
        assertThat(zero.cpuCores()).isEqualTo(0.005);
    }

    @Test
    void anOomBumpsMemoryAsVpaDoesAndKeepsItForHours() {
        Allocation limit = new Allocation(2, GIB);
        Load load = new Load().constant(2 * DAY, 0.5, 0.5 * GIB).spike(0.5, GIB);
        assertThat(onloop.recommend(load.with(limit)).memoryBytes()).isGreaterThanOrEqualTo(1.2 * GIB);
        // still there hours later, though usage went back to half
        assertThat(onloop.recommend(load.constant(5 * HOUR, 0.5, 0.5 * GIB).with(limit)).memoryBytes()).isGreaterThanOrEqualTo(1.2 * GIB);
        // a small allocation gets at least 100 MiB more
        Allocation small = new Allocation(2, 300 * MIB);
        Load smallLoad = new Load().constant(2 * DAY, 0.5, 200 * MIB).spike(0.5, 300 * MIB);
        assertThat(onloop.recommend(smallLoad.with(small)).memoryBytes()).isGreaterThanOrEqualTo(400 * MIB);
    }

    @Test
    void anOomDuringWarmUpIsAnsweredToo() {
        Allocation limit = new Allocation(2, GIB);
        Allocation a = onloop.recommend(new Load().constant(2 * HOUR, 0.5, 0.5 * GIB).spike(0.5, GIB).with(limit));
        assertThat(a.cpuCores()).isEqualTo(2);
        assertThat(a.memoryBytes()).isGreaterThanOrEqualTo(1.2 * GIB);
    }

    @Test
    void aDailyCycleIsCoveredAtItsPeak() {
        // 16 quiet hours at 0.5 core, 8 busy hours at 2 cores, for two weeks
        Load load = new Load().shaped(14 * DAY, t -> new double[]{(t % DAY) < 16 * HOUR ? 0.5 : 2.0, GIB});
        Allocation a = onloop.recommend(load.with(BIG));
        assertThat(a.cpuCores()).isGreaterThanOrEqualTo(2.0);
    }
}
