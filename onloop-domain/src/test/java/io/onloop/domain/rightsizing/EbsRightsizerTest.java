package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.inventory.EbsVolume;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EbsRightsizerTest {

    private final EbsRightsizer rightsizer = new EbsRightsizer(PricingCatalog.defaults(), Clock.systemUTC());

    private static EbsVolume volume(String type, int sizeGib, Integer iops, Integer throughput, String attachedTo) {
        return new EbsVolume(new WorkloadRef("aws", "prod/us-east-1", "", "EBSVolume", "vol-0abc", ""), type, sizeGib,
                Optional.ofNullable(iops), Optional.ofNullable(throughput), Optional.ofNullable(attachedTo));
    }

    @Test
    void aSmallGp2VolumeBecomesGp3WithItsBaselineOrBetter() {
        Recommendation r = rightsizer.recommend(volume("gp2", 100, null, null, "i-1")).orElseThrow();
        assertThat(r.changes()).containsExactly(
                new SettingChange(SettingChange.VOLUME_TYPE, "gp2", "gp3"),
                new SettingChange(SettingChange.IOPS, "300", "3000"),
                new SettingChange(SettingChange.THROUGHPUT_MIBPS, "128", "128"));
        assertThat(r.monthlyCostNow()).isCloseTo(10.0, within(1e-9));
        assertThat(r.monthlyCostAfter()).isCloseTo(8.0 + 3 * 0.04, within(1e-9));  // 3 MiB/s above gp3's 125
        assertThat(r.risk()).isCloseTo(0.1, within(1e-9));
    }

    @Test
    void aLargeGp2VolumeKeepsItsIopsAndThroughputOnGp3() {
        Recommendation r = rightsizer.recommend(volume("gp2", 2000, null, null, "i-1")).orElseThrow();
        assertThat(r.changes()).contains(new SettingChange(SettingChange.IOPS, "6000", "6000"),
                new SettingChange(SettingChange.THROUGHPUT_MIBPS, "250", "250"));
        assertThat(r.monthlyCostNow()).isCloseTo(200.0, within(1e-9));
        assertThat(r.monthlyCostAfter()).isCloseTo(160 + 3000 * 0.005 + 125 * 0.04, within(1e-9));
        // the largest gp2 baseline, 16,000 IOPS, still saves over 5%
        Recommendation max = rightsizer.recommend(volume("gp2", 6000, null, null, "i-1")).orElseThrow();
        assertThat(max.changes()).contains(new SettingChange(SettingChange.IOPS, "16000", "16000"));
        assertThat(max.monthlyCostAfter()).isLessThan(0.95 * max.monthlyCostNow());
    }

    @Test
    void anUnattachedVolumeIsToBeDeletedAfterASnapshotAtHighRisk() {
        Recommendation r = rightsizer.recommend(volume("io1", 500, 10_000, null, null)).orElseThrow();
        assertThat(r.changes()).containsExactly(new SettingChange(SettingChange.EXISTENCE, "exists", "deleted"));
        assertThat(r.monthlyCostNow()).isCloseTo(500 * 0.125 + 10_000 * 0.065, within(1e-9));
        assertThat(r.monthlyCostAfter()).isCloseTo(500 * 0.05, within(1e-9));
        assertThat(r.risk()).isGreaterThanOrEqualTo(0.7);
        assertThat(r.riskReasons()).anyMatch(s -> s.contains("snapshot"));
        assertThat(r.evidence().notes()).anyMatch(s -> s.contains("snapshot"));
    }

    @Test
    void otherAttachedVolumesAndUnpricedTypesGetNothing() {
        for (String type : List.of("gp3", "io2", "st1", "sc1")) {
            assertThat(rightsizer.recommend(volume(type, 500, 3000, 125, "i-1"))).as(type).isEmpty();
        }
        assertThat(rightsizer.recommend(volume("standard", 500, null, null, null))).isEmpty();
    }
}
