package io.onloop.domain.rightsizing;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.onloop.domain.rightsizing.Load.DAY;
import static io.onloop.domain.rightsizing.Load.GIB;
import static io.onloop.domain.rightsizing.Load.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class KrrSimpleRecommenderTest {

    private static final Allocation BIG = new Allocation(8, 16 * GIB);
    private final KrrSimpleRecommender krr = new KrrSimpleRecommender();

    @Test
    void constantLoadGetsTheUsageAndMemoryFifteenPercentAbove() {
        Allocation a = krr.recommend(new Load().constant(3 * DAY, 1.0, GIB).with(BIG));
        assertThat(a.cpuCores()).isCloseTo(1.0, within(1e-9));
        assertThat(a.memoryBytes()).isCloseTo(1.15 * GIB, within(1.0));
    }

    @Test
    void aSpikeMovesMemoryWhichIsAPeakButNotCpuWhichIsP95() {
        Allocation a = krr.recommend(new Load().constant(3 * DAY, 1.0, GIB).spike(8.0, 4 * GIB).constant(DAY, 1.0, GIB).with(BIG));
        assertThat(a.cpuCores()).isCloseTo(1.0, within(1e-9));
        assertThat(a.memoryBytes()).isCloseTo(4 * 1.15 * GIB, within(1.0));
    }

    @Test
    void aStepUpGoesUp() {
        Allocation a = krr.recommend(new Load().constant(3 * DAY, 0.5, GIB).constant(DAY, 2.0, 2 * GIB).with(BIG));
        assertThat(a.cpuCores()).isCloseTo(2.0, within(1e-9));
        assertThat(a.memoryBytes()).isCloseTo(2 * 1.15 * GIB, within(1.0));
    }

    @Test
    void aStepDownIsFollowedOnlyOnceTheOldLoadLeavesTheTwoWeekHistory() {
        Load load = new Load().constant(3 * DAY, 2.0, 4 * GIB).constant(7 * DAY, 0.5, GIB);
        assertThat(krr.recommend(load.with(BIG)).memoryBytes()).isCloseTo(4 * 1.15 * GIB, within(1.0));
        Allocation later = krr.recommend(load.constant(8 * DAY, 0.5, GIB).with(BIG));
        assertThat(later.cpuCores()).isCloseTo(0.5, within(1e-9));
        assertThat(later.memoryBytes()).isCloseTo(1.15 * GIB, within(1.0));
    }

    @Test
    void noHistoryOrTooLittleKeepsTheCurrentAllocation() {
        assertThat(krr.recommend(new UsageHistory(List.of(), BIG))).isEqualTo(BIG);
        // 99 points: KRR needs 100
        assertThat(krr.recommend(new Load().constant(99 * Load.STEP, 1.0, GIB).with(BIG))).isEqualTo(BIG);
        // 100 points at 5-minute steps span more than the 3 hours KRR also needs
        assertThat(100 * Load.STEP).isGreaterThanOrEqualTo(3 * HOUR);
        assertThat(krr.recommend(new Load().constant(100 * Load.STEP, 1.0, GIB).with(BIG)).cpuCores()).isCloseTo(1.0, within(1e-9));
    }

    @Test
    void usageAtTheLimitRaisesMemoryOnlyByTheBufferAsKrrHasNoOomBumpByDefault() {
        Allocation limit = new Allocation(2, GIB);
        Allocation a = krr.recommend(new Load().constant(DAY, 0.5, 0.5 * GIB).spike(0.5, GIB).with(limit));
        assertThat(a.memoryBytes()).isCloseTo(1.15 * GIB, within(1.0));
    }

    @Test
    void percentileInterpolatesLinearlyAsNumpyDoes() {
        assertThat(KrrSimpleRecommender.percentile(new double[]{5, 1, 4, 2, 3}, 0.95)).isCloseTo(4.8, within(1e-12));
        assertThat(KrrSimpleRecommender.percentile(new double[]{7}, 0.95)).isEqualTo(7);
    }
}
