package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static io.onloop.domain.rightsizing.Load.DAY;
import static io.onloop.domain.rightsizing.Load.GIB;
import static io.onloop.domain.rightsizing.Load.HOUR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class Ec2RightsizerTest {

    private final PricingCatalog catalog = PricingCatalog.defaults();
    private final Ec2Rightsizer rightsizer = new Ec2Rightsizer(catalog, Clock.fixed(Instant.parse("2026-11-23T00:00:00Z"), ZoneOffset.UTC));

    private static Ec2Instance instance(String type, String platform) {
        return new Ec2Instance(new WorkloadRef("aws", "prod/us-east-1", "", "EC2Instance", "i-0abc", ""), type, "us-east-1a", platform);
    }

    private static Ec2Rightsizer.Usage measured(Load load) {
        return new Ec2Rightsizer.Usage(load.samples(), true);
    }

    private static Ec2Rightsizer.Usage cpuOnly(Load load) {
        return new Ec2Rightsizer.Usage(load.samples(), false);
    }

    private static String recommendedType(Recommendation r) {
        assertThat(r.changes()).hasSize(1);
        assertThat(r.changes().getFirst().setting()).isEqualTo(SettingChange.INSTANCE_TYPE);
        return r.changes().getFirst().recommended();
    }

    @Test
    void anIdleInstanceMovesDownWithinItsFamily() {
        Load load = new Load().shaped(10 * DAY, t -> new double[]{0.6 + 0.2 * Math.sin(2 * Math.PI * t / DAY), 6 * GIB});
        Recommendation r = rightsizer.recommend(instance("m5.2xlarge", "Linux/UNIX"), measured(load)).orElseThrow();
        // p95 0.8 cores fits 2 vCPUs at 70%; 6 GiB × 1.2 fits 8 GiB; m6g.large is cheaper, but not by a further 10%
        assertThat(recommendedType(r)).isEqualTo("m5.large");
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.DOWN);
        assertThat(r.monthlyCostNow()).isCloseTo(0.384 * 730, within(1e-9));
        assertThat(r.monthlyCostAfter()).isCloseTo(0.096 * 730, within(1e-9));
        assertThat(r.evidence().statistics()).containsKeys("cpu.p95", "memory.max");
        assertThat(r.riskReasons()).noneMatch(s -> s.contains("Graviton"));
        assertThat(r.confidence()).isCloseTo(10.0 / 11, within(0.01));
    }

    @Test
    void unmeasuredMemoryIsNotCutAndAGravitonMoveIsFlaggedAsRiskier() {
        Load load = new Load().constant(10 * DAY, 3.0, 0);
        Recommendation r = rightsizer.recommend(instance("m5.4xlarge", ""), cpuOnly(load)).orElseThrow();
        String type = recommendedType(r);
        PricingCatalog.InstanceType chosen = catalog.instanceType(type).orElseThrow();
        assertThat(chosen.memoryGib()).isGreaterThanOrEqualTo(64);               // m5.4xlarge's memory, kept
        assertThat(3.0 / chosen.vcpus()).isLessThanOrEqualTo(0.7);
        // r5.2xlarge (8 vCPU, 64 GiB, $0.504) beats m5.4xlarge ($0.768) by more than 10%; r6g.2xlarge ($0.4032) beats it by a further 10%
        assertThat(type).isEqualTo("r6g.2xlarge");
        assertThat(r.riskReasons()).anyMatch(s -> s.contains("Graviton")).anyMatch(s -> s.contains("memory use unknown"));
        assertThat(r.evidence().notes()).anyMatch(s -> s.contains("memory not measured"));

        // the same saving without the architecture change would be less risky
        PricingCatalog noGraviton = catalog.withOverrides("ec2,r6g.2xlarge,9.99");
        Recommendation x86 = new Ec2Rightsizer(noGraviton, Clock.systemUTC()).recommend(instance("m5.4xlarge", ""), cpuOnly(load)).orElseThrow();
        assertThat(recommendedType(x86)).isEqualTo("r5.2xlarge");
        assertThat(x86.risk()).isLessThan(r.risk());
    }

    @Test
    void aSaturatedInstanceMovesUp() {
        Load load = new Load().constant(3 * DAY, 1.9, 3 * GIB);
        Recommendation r = rightsizer.recommend(instance("c5.large", "Linux/UNIX"), measured(load)).orElseThrow();
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.UP);
        assertThat(catalog.instanceType(recommendedType(r)).orElseThrow().vcpus()).isGreaterThanOrEqualTo(4);
        assertThat(r.monthlySavings()).isNegative();
    }

    @Test
    void burstableTypesAreOnlyProposedWithinTheirOwnFamily() {
        Load light = new Load().constant(3 * DAY, 0.1, 0.5 * GIB);
        // a tiny load on m5.large: a t3 would be cheaper, but its CPU runs on credits
        Recommendation r = rightsizer.recommend(instance("m5.large", "Linux/UNIX"), measured(light)).orElseThrow();
        assertThat(catalog.instanceType(recommendedType(r)).orElseThrow().burstable()).isFalse();
        Recommendation t = rightsizer.recommend(instance("t3.xlarge", "Linux/UNIX"), measured(light)).orElseThrow();
        assertThat(recommendedType(t)).startsWith("t3.");
    }

    @Test
    void nothingForPlatformsWithOtherPricesThanPlainLinux() {
        Load load = new Load().shaped(10 * DAY, t -> new double[]{0.6 + 0.2 * Math.sin(2 * Math.PI * t / DAY), 6 * GIB});
        // EC2 PlatformDetails values whose licence-included prices are not the catalog's Linux ones
        for (String platform : List.of("Linux with SQL Server Enterprise", "Linux with SQL Server Standard",
                "Red Hat Enterprise Linux", "Red Hat Enterprise Linux with HA", "SUSE Linux", "Ubuntu Pro", "Windows")) {
            var instance = instance("m5.2xlarge", platform);
            assertThat(rightsizer.recommend(instance, measured(load))).as(platform).isEmpty();
            assertThat(rightsizer.whyCannotJudge(instance, measured(load))).as("judged: never a recommendation").isEmpty();
        }
        assertThat(rightsizer.recommend(instance("m5.2xlarge", "Linux/UNIX"), measured(load))).isPresent();
    }

    @Test
    void nothingForShortHistoriesSmallSavingsUnknownTypesOrWindows() {
        Load load = new Load().constant(3 * DAY, 1.0, 0);
        assertThat(rightsizer.recommend(instance("m5.large", ""), cpuOnly(new Load().constant(12 * HOUR, 0.1, 0)))).isEmpty();
        assertThat(rightsizer.recommend(instance("m6g.large", ""), cpuOnly(load))).isEmpty();   // nothing cheaper fits
        assertThat(rightsizer.recommend(instance("x1e.32xlarge", ""), cpuOnly(load))).isEmpty();
        assertThat(rightsizer.recommend(instance("m5.4xlarge", "windows"), cpuOnly(load))).isEmpty();
        assertThat(rightsizer.recommend(instance("m5.4xlarge", ""), cpuOnly(new Load()))).isEmpty();
    }
}
