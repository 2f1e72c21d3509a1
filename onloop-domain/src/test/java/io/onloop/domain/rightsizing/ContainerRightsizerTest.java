package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.inventory.KubernetesContainer;
import io.onloop.domain.rightsizing.inventory.KubernetesContainer.Hpa;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static io.onloop.domain.rightsizing.Load.DAY;
import static io.onloop.domain.rightsizing.Load.GIB;
import static io.onloop.domain.rightsizing.Load.HOUR;
import static io.onloop.domain.rightsizing.Load.MIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ContainerRightsizerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T00:00:00Z");
    private final PricingCatalog catalog = PricingCatalog.defaults();
    private final ContainerRightsizer rightsizer = new ContainerRightsizer(catalog, Clock.fixed(NOW, ZoneOffset.UTC));

    private static KubernetesContainer container(String kind, double cpuRequest, Double cpuLimit, double memoryRequest,
                                                 Double memoryLimit, int replicas, Hpa hpa) {
        return new KubernetesContainer(new WorkloadRef("kubernetes", "prod", "shop", kind, "cart", "app"),
                Optional.of(cpuRequest), Optional.ofNullable(cpuLimit), Optional.of(memoryRequest), Optional.ofNullable(memoryLimit),
                replicas, Optional.ofNullable(hpa));
    }

    private static ContainerRightsizer.Usage usage(Load load) {
        return new ContainerRightsizer.Usage(load.samples(), 0, 0);
    }

    private static Map<String, SettingChange> changes(Recommendation r) {
        return r.changes().stream().collect(Collectors.toMap(SettingChange::setting, c -> c));
    }

    @Test
    void tooLittleUsageIsSaidSoRatherThanTakenForNothingToChange() {
        Load hour = new Load().shaped(HOUR, t -> new double[]{0.2, 500 * MIB});
        Load days = new Load().shaped(2 * DAY, t -> new double[]{0.2, 500 * MIB});
        assertThat(rightsizer.whyCannotJudge(new ContainerRightsizer.Usage(List.of(), 0, 0)))
                .hasValue("no usage in the period (a step needs both CPU and memory)");
        assertThat(rightsizer.whyCannotJudge(usage(hour))).hasValue("less than a day of usage, and no OOM kills or throttling");
        assertThat(rightsizer.whyCannotJudge(new ContainerRightsizer.Usage(hour.samples(), 1, 0))).as("starved").isEmpty();
        assertThat(rightsizer.whyCannotJudge(usage(days))).isEmpty();
    }

    @Test
    void anOversizedDeploymentGoesDownWithEvidenceCostRiskAndConfidence() {
        KubernetesContainer c = container("Deployment", 2.0, null, 4 * GIB, null, 3, null);
        Load load = new Load().shaped(8 * DAY, t -> new double[]{0.2 + 0.05 * Math.sin(t / 3600.0), 500 * MIB});
        Recommendation r = rightsizer.recommend(c, usage(load)).orElseThrow();

        assertThat(r.direction()).isEqualTo(Recommendation.Direction.DOWN);
        Map<String, SettingChange> changes = changes(r);
        assertThat(changes.get(SettingChange.CPU_REQUEST).current()).isEqualTo("2000m");
        double cpu = Double.parseDouble(changes.get(SettingChange.CPU_REQUEST).recommended().replace("m", "")) / 1000;
        assertThat(cpu).isBetween(0.25, 0.5);
        double memoryMi = Double.parseDouble(changes.get(SettingChange.MEMORY_REQUEST).recommended().replace("Mi", ""));
        assertThat(memoryMi).isBetween(500.0, 700.0);
        assertThat(changes).doesNotContainKeys(SettingChange.CPU_LIMIT, SettingChange.MEMORY_LIMIT);  // none set, none added

        assertThat(r.monthlyCostNow()).isCloseTo(3 * catalog.containerMonthly(2.0, 4 * GIB), within(1e-9));
        assertThat(r.monthlyCostAfter()).isCloseTo(3 * catalog.containerMonthly(cpu, memoryMi * MIB), within(1e-9));
        assertThat(r.monthlySavings()).isGreaterThan(0.7 * r.monthlyCostNow());
        assertThat(r.currency()).isEqualTo("USD");

        assertThat(r.evidence().statistics()).containsKeys("cpu.p50", "cpu.p90", "cpu.p95", "cpu.p99", "cpu.max",
                "memory.p50", "memory.p90", "memory.p95", "memory.p99", "memory.max");
        assertThat(r.evidence().statistics().get("cpu.max")).isCloseTo(0.25, within(1e-3));
        assertThat(r.evidence().samples()).isEqualTo(8 * DAY / Load.STEP);
        assertThat(r.evidence().historyEnd().getEpochSecond() - r.evidence().historyStart().getEpochSecond()).isEqualTo(8 * DAY - Load.STEP);
        assertThat(r.confidence()).isBetween(0.85, 0.9);  // 8 complete days: 8 / 9
        assertThat(r.risk()).isBetween(0.2, 0.6);
        assertThat(r.riskReasons()).anyMatch(s -> s.startsWith("cuts a request by"));
        assertThat(r.computedAt()).isEqualTo(NOW);
    }

    @Test
    void aWorkloadScaledToZeroIsCostedAsNoPodsAndSaysWhatEachPodWouldSave() {
        KubernetesContainer c = container("Deployment", 2.0, null, 4 * GIB, null, 0, null);
        Load load = new Load().constant(8 * DAY, 0.2, 500 * MIB); // it ran all week and was scaled down since
        Recommendation r = rightsizer.recommend(c, usage(load)).orElseThrow();
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.DOWN);
        assertThat(r.monthlyCostNow()).isZero();
        assertThat(r.monthlySavings()).isZero();
        double cpu = Double.parseDouble(changes(r).get(SettingChange.CPU_REQUEST).recommended().replace("m", "")) / 1000;
        double mi = Double.parseDouble(changes(r).get(SettingChange.MEMORY_REQUEST).recommended().replace("Mi", ""));
        double perPod = catalog.containerMonthly(2.0, 4 * GIB) - catalog.containerMonthly(cpu, mi * MIB);
        assertThat(r.evidence().notes()).contains(String.format(java.util.Locale.ROOT, "scaled to zero now: the monthly "
                + "figures count no pods; each pod that runs again costs %.2f USD a month less", perPod));
        // a DaemonSet's 0 is a status not reported yet: one pod, no such note
        Recommendation ds = rightsizer.recommend(container("DaemonSet", 2.0, null, 4 * GIB, null, 0, null), usage(load)).orElseThrow();
        assertThat(ds.monthlyCostNow()).isCloseTo(catalog.containerMonthly(2.0, 4 * GIB), within(1e-9));
        assertThat(ds.evidence().notes()).noneMatch(n -> n.startsWith("scaled to zero"));
    }

    @Test
    void aContainerWithOnlyLimitsIsCostedAtThemAsTheSchedulerReservesThem() {
        // the API server sets an unset request to the limit: this pod reserves 2 cores and 4 GiB now
        KubernetesContainer c = new KubernetesContainer(new WorkloadRef("kubernetes", "prod", "shop", "Deployment", "cart", "app"),
                Optional.empty(), Optional.of(2.0), Optional.empty(), Optional.of(4 * GIB), 2, Optional.empty());
        Recommendation r = rightsizer.recommend(c, usage(new Load().constant(8 * DAY, 0.2, 500 * MIB))).orElseThrow();
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.DOWN);
        assertThat(r.monthlyCostNow()).isCloseTo(2 * catalog.containerMonthly(2.0, 4 * GIB), within(1e-9));
        assertThat(r.monthlySavings()).isPositive();
        assertThat(changes(r).get(SettingChange.CPU_REQUEST).current()).isEmpty(); // the patch sets what was unset
        // its memory was guaranteed (request = limit) and stays so
        assertThat(changes(r).get(SettingChange.MEMORY_LIMIT).recommended())
                .isEqualTo(changes(r).get(SettingChange.MEMORY_REQUEST).recommended());

        // a container with neither reserves nothing: giving it a request costs money and is no cut
        KubernetesContainer bestEffort = new KubernetesContainer(c.ref(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), 2, Optional.empty());
        Recommendation up = rightsizer.recommend(bestEffort, usage(new Load().constant(8 * DAY, 0.2, 500 * MIB))).orElseThrow();
        assertThat(up.direction()).isEqualTo(Recommendation.Direction.UP);
        assertThat(up.monthlyCostNow()).isZero();
        assertThat(up.monthlySavings()).isNegative();
    }

    @Test
    void tooShortAHistoryOrTooSmallAChangeGivesNothing() {
        KubernetesContainer c = container("Deployment", 2.0, null, 4 * GIB, null, 1, null);
        assertThat(rightsizer.recommend(c, usage(new Load().constant(20 * HOUR, 0.2, 500 * MIB)))).isEmpty();

        Load load = new Load().constant(5 * DAY, 0.5, GIB);
        Map<String, SettingChange> first = changes(rightsizer.recommend(c, usage(load)).orElseThrow());
        double cpu = Double.parseDouble(first.get(SettingChange.CPU_REQUEST).recommended().replace("m", "")) / 1000;
        double memory = Double.parseDouble(first.get(SettingChange.MEMORY_REQUEST).recommended().replace("Mi", "")) * MIB;
        // once applied, asking again changes nothing: within the 10% threshold
        assertThat(rightsizer.recommend(container("Deployment", cpu, null, memory, null, 1, null), usage(load))).isEmpty();
        assertThat(rightsizer.recommend(container("Deployment", cpu * 1.05, null, memory * 1.04, null, 1, null), usage(load))).isEmpty();
    }

    @Test
    void oomKillsRaiseMemoryByVpasBumpAndAGuaranteedLimitFollows() {
        KubernetesContainer c = container("Deployment", 1.0, 1.0, 512 * MIB, 512 * MIB, 2, null);
        Load load = new Load().constant(3 * DAY, 0.95, 450 * MIB).spike(0.95, 505 * MIB).constant(HOUR, 0.95, 450 * MIB);
        Recommendation r = rightsizer.recommend(c, new ContainerRightsizer.Usage(load.samples(), 2, 0)).orElseThrow();

        assertThat(r.direction()).isEqualTo(Recommendation.Direction.UP);
        Map<String, SettingChange> changes = changes(r);
        // max(512 MiB + 100 MiB, 512 MiB × 1.2 = 614.4 MiB), whole MiB
        assertThat(changes.get(SettingChange.MEMORY_REQUEST).recommended()).isEqualTo("615Mi");
        assertThat(changes.get(SettingChange.MEMORY_LIMIT)).isEqualTo(new SettingChange(SettingChange.MEMORY_LIMIT, "512Mi", "615Mi"));
        assertThat(changes).doesNotContainKey(SettingChange.CPU_REQUEST);  // CPU fits: within 10%
        assertThat(r.monthlySavings()).isNegative();
        assertThat(r.riskReasons()).anyMatch(s -> s.contains("OOM"));
        assertThat(r.evidence().statistics().get("memory.oomKills")).isEqualTo(2.0);
    }

    @Test
    void anOomIsAnsweredEvenWithLessThanADayOfHistory() {
        KubernetesContainer c = container("Deployment", 1.0, null, GIB, GIB, 1, null);
        Recommendation r = rightsizer.recommend(c, new ContainerRightsizer.Usage(new Load().constant(2 * HOUR, 0.5, 900 * MIB).samples(), 1, 0))
                .orElseThrow();
        assertThat(changes(r).get(SettingChange.MEMORY_REQUEST).recommended()).isEqualTo("1229Mi");  // 1 GiB × 1.2
        assertThat(changes(r)).doesNotContainKey(SettingChange.CPU_REQUEST);
    }

    @Test
    void throttlingRaisesCpuAboveTheCensoredPeakAndTheCpuLimitKeepsItsRatio() {
        KubernetesContainer c = container("Deployment", 0.25, 0.5, GIB, null, 1, null);
        Load load = new Load().constant(3 * DAY, 0.5, 900 * MIB);  // pinned at its limit
        Recommendation r = rightsizer.recommend(c, new ContainerRightsizer.Usage(load.samples(), 0, 0.6)).orElseThrow();
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.UP);
        Map<String, SettingChange> changes = changes(r);
        double cpu = Double.parseDouble(changes.get(SettingChange.CPU_REQUEST).recommended().replace("m", "")) / 1000;
        assertThat(cpu).isGreaterThanOrEqualTo(0.6);
        double limit = Double.parseDouble(changes.get(SettingChange.CPU_LIMIT).recommended().replace("m", "")) / 1000;
        assertThat(limit).isCloseTo(2 * cpu, within(0.002));  // limit / request stays 2
        assertThat(r.riskReasons()).anyMatch(s -> s.contains("throttling"));
        // below the starvation threshold, the same usage does not raise CPU for throttling
        Recommendation mild = rightsizer.recommend(c, new ContainerRightsizer.Usage(load.samples(), 0, 0.1)).orElseThrow();
        assertThat(mild.evidence().notes()).noneMatch(s -> s.contains("throttled"));
    }

    @Test
    void aRequestOfZeroCountsAsUnsetNotAsARatioOfInfinity() {
        KubernetesContainer c = container("Deployment", 0, 2.0, GIB, null, 1, null);
        Load load = new Load().constant(2 * HOUR, 0.5, 900 * MIB); // under a day, and throttled
        Recommendation r = rightsizer.recommend(c, new ContainerRightsizer.Usage(load.samples(), 0, 0.6)).orElseThrow();
        Map<String, SettingChange> changes = changes(r);
        assertThat(changes.get(SettingChange.CPU_REQUEST).current()).isEqualTo("0m");
        double limit = Double.parseDouble(changes.get(SettingChange.CPU_LIMIT).recommended().replace("m", "")) / 1000;
        assertThat(limit).isFinite().isBetween(0.6, 2.0);
        // with a day or more of history the recommender runs too, and does not throw
        Load days = new Load().constant(3 * DAY, 0.5, 900 * MIB);
        assertThat(rightsizer.recommend(c, new ContainerRightsizer.Usage(days.samples(), 0, 0.0))).isPresent();
    }

    @Test
    void aBurstableMemoryLimitStaysAboveThePeak() {
        KubernetesContainer c = container("Deployment", 1.0, null, 4 * GIB, 8 * GIB, 1, null);
        Load load = new Load().constant(3 * DAY, 0.8, GIB).spike(0.8, 1.5 * GIB).constant(2 * DAY, 0.8, GIB);
        Map<String, SettingChange> changes = changes(rightsizer.recommend(c, usage(load)).orElseThrow());
        double request = Double.parseDouble(changes.get(SettingChange.MEMORY_REQUEST).recommended().replace("Mi", ""));
        double limit = Double.parseDouble(changes.get(SettingChange.MEMORY_LIMIT).recommended().replace("Mi", ""));
        assertThat(limit).isGreaterThanOrEqualTo(request).isEqualTo(Math.ceil(1.5 * 1024 * 1.2));
    }

    @Test
    void anHpaOnCpuKeepsTheRequestWhereTheReplicaCountDoesNotGrow() {
        Load load = new Load().shaped(7 * DAY, t -> new double[]{0.3 + 0.1 * Math.sin(2 * Math.PI * t / DAY), 400 * MIB});
        double p90 = KrrSimpleRecommender.percentile(load.samples().stream().mapToDouble(UsageSample::cpuCores).toArray(), 0.9);
        KubernetesContainer plain = container("Deployment", 2.0, null, GIB, null, 4, null);
        KubernetesContainer scaled = container("Deployment", 2.0, null, GIB, null, 4,
                new Hpa("cart", 2, 10, Optional.of(50), Optional.empty()));
        double withoutHpa = cpuRequest(rightsizer.recommend(plain, usage(load)).orElseThrow());
        Recommendation r = rightsizer.recommend(scaled, usage(load)).orElseThrow();
        double withHpa = cpuRequest(r);
        assertThat(withoutHpa).isLessThan(p90 / 0.5);
        assertThat(withHpa).isGreaterThanOrEqualTo(p90 / 0.5).isCloseTo(p90 / 0.5, within(0.002));
        // at the p90 load the HPA wants ceil(4 × p90 / (request × 0.5)) = 4 replicas: no scale-out from the change
        assertThat(Math.ceil(4 * p90 / (withHpa * 0.5) - 1e-9)).isEqualTo(4);
        assertThat(r.evidence().notes()).anyMatch(s -> s.contains("HPA cart on CPU at 50%"));
        assertThat(r.riskReasons()).anyMatch(s -> s.contains("HPA"));
    }

    @Test
    void anHpaNearItsMaximumKeepsThePeakWithinMaxReplicas() {
        // 4 replicas, at most 4: the peak (0.9 cores a pod) must still fit 4 pods at 50% → 1.8 cores a pod
        assertThat(ContainerRightsizer.hpaFloor(50, 0.3, 0.9, 4, 4)).isCloseTo(1.8, within(1e-9));
        assertThat(ContainerRightsizer.hpaFloor(50, 0.3, 0.9, 4, 40)).isCloseTo(0.6, within(1e-9));
        Load load = new Load().constant(3 * DAY, 0.3, 400 * MIB).spike(0.9, 400 * MIB).constant(DAY, 0.3, 400 * MIB);
        KubernetesContainer c = container("Deployment", 1.0, null, GIB, null, 4, new Hpa("cart", 1, 4, Optional.of(50), Optional.empty()));
        Recommendation r = rightsizer.recommend(c, usage(load)).orElseThrow();
        assertThat(cpuRequest(r)).isGreaterThanOrEqualTo(1.8);
        assertThat(r.direction()).isEqualTo(Recommendation.Direction.UP);
    }

    @Test
    void anHpaOnMemoryKeepsTheMemoryRequestAtP90OverItsTarget() {
        Load load = new Load().constant(4 * DAY, 0.2, 800 * MIB);
        KubernetesContainer c = container("Deployment", 1.0, null, 4 * GIB, null, 3,
                new Hpa("cart", 1, 10, Optional.empty(), Optional.of(80)));
        Recommendation r = rightsizer.recommend(c, usage(load)).orElseThrow();
        double memoryMi = Double.parseDouble(changes(r).get(SettingChange.MEMORY_REQUEST).recommended().replace("Mi", ""));
        assertThat(memoryMi).isEqualTo(1000);  // 800 MiB / 0.8
        assertThat(r.evidence().notes()).anyMatch(s -> s.contains("on memory at 80%"));
    }

    @Test
    void statefulSetsAndDaemonSetsAreRiskierThanDeployments() {
        Load load = new Load().constant(3 * DAY, 0.2, 300 * MIB);
        double deployment = rightsizer.recommend(container("Deployment", 2.0, null, 2 * GIB, null, 2, null), usage(load)).orElseThrow().risk();
        Recommendation statefulSet = rightsizer.recommend(container("StatefulSet", 2.0, null, 2 * GIB, null, 2, null), usage(load)).orElseThrow();
        Recommendation daemonSet = rightsizer.recommend(container("DaemonSet", 2.0, null, 2 * GIB, null, 2, null), usage(load)).orElseThrow();
        assertThat(statefulSet.risk()).isGreaterThan(deployment);
        assertThat(daemonSet.risk()).isGreaterThan(deployment);
        assertThat(statefulSet.riskReasons()).anyMatch(s -> s.contains("StatefulSet"));
        assertThat(daemonSet.riskReasons()).anyMatch(s -> s.contains("DaemonSet"));
    }

    @Test
    void spikyUsageAndShortHistoryAddRisk() {
        KubernetesContainer c = container("Deployment", 2.0, null, 2 * GIB, null, 1, null);
        Load steady = new Load().constant(14 * DAY, 0.2, 300 * MIB);
        Load spiky = new Load().shaped(14 * DAY, t -> new double[]{(t / Load.STEP) % 50 == 0 ? 1.0 : 0.1, 300 * MIB});
        Recommendation a = rightsizer.recommend(c, usage(steady)).orElseThrow();
        Recommendation b = rightsizer.recommend(c, usage(spiky)).orElseThrow();
        assertThat(a.riskReasons()).noneMatch(s -> s.contains("short history") || s.contains("spiky"));
        assertThat(b.riskReasons()).anyMatch(s -> s.contains("spiky CPU"));
        Recommendation shortOne = rightsizer.recommend(c, usage(new Load().constant(2 * DAY, 0.2, 300 * MIB))).orElseThrow();
        assertThat(shortOne.riskReasons()).anyMatch(s -> s.startsWith("short history: 2.0 days"));
        assertThat(shortOne.confidence()).isLessThan(a.confidence());
    }

    @Test
    void confidenceGrowsWithHistoryAndFallsWithGaps() {
        long[] day = times(DAY, false);
        long[] week = times(7 * DAY, false);
        long[] weekThirdMissing = times(7 * DAY, true);
        assertThat(Findings.confidence(day)).isCloseTo(0.5, within(0.01));
        assertThat(Findings.confidence(week)).isCloseTo(0.875, within(0.01));
        // one sample in three missing: two thirds complete, as if 4.7 days
        assertThat(Findings.confidence(weekThirdMissing)).isCloseTo(4.67 / 5.67, within(0.01));
        assertThat(Findings.confidence(new long[]{1})).isZero();
    }

    /** Samples every 300 s over {@code span}; with {@code gaps}, one in three is missing. */
    private static long[] times(long span, boolean gaps) {
        List<Long> t = new java.util.ArrayList<>();
        for (long s = 0, i = 0; s <= span; s += Load.STEP, i++) {
            if (gaps && i % 3 == 1) {
                continue;
            }
            t.add(s);
        }
        return t.stream().mapToLong(Long::longValue).toArray();
    }

    private static double cpuRequest(Recommendation r) {
        return Double.parseDouble(changes(r).get(SettingChange.CPU_REQUEST).recommended().replace("m", "")) / 1000;
    }
}
