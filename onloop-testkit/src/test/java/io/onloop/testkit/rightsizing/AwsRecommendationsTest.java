package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.AwsRecommendations;
import io.onloop.domain.rightsizing.PricingCatalog;
import io.onloop.domain.rightsizing.Recommendation;
import io.onloop.domain.rightsizing.SettingChange;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.copilot.Copilot;
import io.onloop.domain.rightsizing.copilot.RecommendationQuery;
import io.onloop.domain.rightsizing.copilot.StoredRecommendation.Status;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import io.onloop.domain.rightsizing.usage.FunctionUsage;
import io.onloop.domain.rightsizing.usage.InstanceUsage;
import io.onloop.domain.rightsizing.usage.UsagePoint;
import io.onloop.domain.store.Transactions;
import io.onloop.testkit.store.InMemoryEventStore;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The AWS source end to end over the inventory and usage ports, with the real rightsizers and catalog. */
class AwsRecommendationsTest {
    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final InMemoryCloudInventory inventory = new InMemoryCloudInventory();
    final InMemoryCloudUsage usage = new InMemoryCloudUsage();
    final AwsRecommendations source = new AwsRecommendations("aws/prod", "t1", inventory, usage,
            PricingCatalog.defaults(), clock, Duration.ofDays(14), Duration.ofHours(1));

    static WorkloadRef ref(String kind, String name) {
        return new WorkloadRef("aws", "123456789012/us-east-1", "", kind, name, "");
    }

    @Test
    void anIdleInstanceShrinksALambdaWithoutMemoryFiguresIsLeftAndAnUnattachedVolumeGoes() {
        WorkloadRef vm = ref("EC2Instance", "i-0abc");
        inventory.add(new Ec2Instance(vm, "m5.2xlarge", "us-east-1a", "Linux/UNIX"));
        List<UsagePoint> cpu = new ArrayList<>();
        for (long t = NOW.minus(Duration.ofDays(14)).getEpochSecond(); t < NOW.getEpochSecond(); t += 3600) {
            cpu.add(new UsagePoint(t, 0.3 + 0.1 * Math.sin(t / 3600.0))); // ~0.3 of 8 vCPUs
        }
        usage.record(new InstanceUsage(vm, "m5.2xlarge", new Allocation(8, 32L << 30), cpu, Optional.empty(),
                Optional.of("the CloudWatch agent publishes no mem_used_percent")));

        WorkloadRef fn = ref("LambdaFunction", "resize-images");
        inventory.add(new LambdaFunction(fn, 3008, "x86_64", 60));
        usage.record(new FunctionUsage(fn, 3008, List.of(new FunctionUsage.Period(NOW.getEpochSecond() - 3600, 1000, 0, 0,
                Optional.of(120.0), Optional.of(400.0), Optional.empty())), Optional.of("Lambda Insights is off")));

        WorkloadRef disk = ref("EBSVolume", "vol-0def");
        inventory.add(new EbsVolume(disk, "gp2", 500, Optional.of(1500), Optional.empty(), Optional.empty()));

        var scan = source.scan("t1", Map.of());
        List<Recommendation> found = scan.found();

        assertThat(found).extracting(r -> r.workload().name()).containsExactlyInAnyOrder("i-0abc", "vol-0def");
        // the function without memory figures was not evaluated: an open recommendation for it stays
        assertThat(scan.evaluated()).containsExactlyInAnyOrder(vm.key(), disk.key());
        Recommendation instance = found.stream().filter(r -> r.workload().equals(vm)).findFirst().orElseThrow();
        assertThat(instance.direction()).isEqualTo(Recommendation.Direction.DOWN);
        assertThat(instance.changes()).singleElement().satisfies(c -> {
            assertThat(c.setting()).isEqualTo(SettingChange.INSTANCE_TYPE);
            assertThat(c.current()).isEqualTo("m5.2xlarge");
            assertThat(c.recommended()).isNotEqualTo("m5.2xlarge");
        });
        assertThat(instance.monthlySavings()).isPositive();
        Recommendation volume = found.stream().filter(r -> r.workload().equals(disk)).findFirst().orElseThrow();
        assertThat(volume.changes()).extracting(SettingChange::recommended).contains("deleted");
    }

    @Test
    void anAccountThatRefusesOneKindStillGetsTheOthers() {
        inventory.add(new EbsVolume(ref("EBSVolume", "vol-1"), "gp2", 100, Optional.empty(), Optional.empty(), Optional.empty()));
        inventory.add(new Ec2Instance(ref("EC2Instance", "i-1"), "m5.large", "us-east-1a", "Linux/UNIX"));
        var refusing = new AwsRecommendations("aws/prod", "t1", inventory, new io.onloop.domain.rightsizing.usage.CloudUsage() {
            @Override
            public List<InstanceUsage> instances(List<Ec2Instance> asked, io.onloop.domain.rightsizing.usage.UsageWindow window) {
                throw new io.onloop.domain.metrics.MetricsUnavailableException("cloudwatch:GetMetricData: AccessDenied");
            }

            @Override
            public List<FunctionUsage> functions(List<LambdaFunction> asked, io.onloop.domain.rightsizing.usage.UsageWindow window) {
                return usage.functions(asked, window);
            }

            @Override
            public List<io.onloop.domain.rightsizing.usage.VolumeUsage> volumes(List<EbsVolume> asked,
                                                                              io.onloop.domain.rightsizing.usage.UsageWindow window) {
                return usage.volumes(asked, window);
            }
        }, PricingCatalog.defaults(), clock, Duration.ofDays(14), Duration.ofHours(1));
        var scan = refusing.scan("t1", Map.of());
        assertThat(scan.found()).extracting(r -> r.workload().name()).containsExactly("vol-1");
        assertThat(scan.evaluated()).as("the instances' usage was refused: not evaluated")
                .containsExactly(ref("EBSVolume", "vol-1").key());
    }

    @Test
    void aVolumeAtTheValuesOfItsApprovedRecommendationKeepsTheApproval() {
        WorkloadRef disk = ref("EBSVolume", "vol-gp2");
        inventory.add(new EbsVolume(disk, "gp2", 128, Optional.of(384), Optional.empty(), Optional.of("i-1")));
        var copilot = new Copilot(new InMemoryRecommendationStore(), new InMemoryEventStore(), Transactions.DIRECT, clock);
        copilot.record("t1", source.name(), source.scan("t1", Map.of()));
        var open = copilot.list(RecommendationQuery.all("t1", Status.OPEN, 10)).items().getFirst();
        assertThat(open.recommendation().changes()).extracting(SettingChange::recommended).containsExactly("gp3", "3000", "128");
        copilot.approve("t1", open.id(), "alice", "", null, null).orElseThrow();

        // alice ran the plan: the volume is gp3 at 3,000 IOPS and 128 MiB/s now, and nothing more is recommended
        var applied = new InMemoryCloudInventory().add(new EbsVolume(disk, "gp3", 128, Optional.of(3000), Optional.of(128),
                Optional.of("i-1")));
        var after = new AwsRecommendations("aws/prod", "t1", applied, usage, PricingCatalog.defaults(), clock,
                Duration.ofDays(14), Duration.ofHours(1));
        var outcome = copilot.record("t1", after.name(), after.scan("t1", Map.of()));

        assertThat(outcome).isEqualTo(new Copilot.ScanOutcome(0, 0, 0, 0));
        assertThat(copilot.find("t1", open.id()).orElseThrow().status()).isEqualTo(Status.APPROVED);
    }

    @Test
    void anInstanceWithoutDatapointsOrAPriceIsNotEvaluated() {
        WorkloadRef idle = ref("EC2Instance", "i-idle");
        WorkloadRef silent = ref("EC2Instance", "i-silent");
        WorkloadRef unpriced = ref("EC2Instance", "i-unpriced");
        inventory.add(new Ec2Instance(idle, "m5.2xlarge", "us-east-1a", "Linux/UNIX"));
        inventory.add(new Ec2Instance(silent, "m5.2xlarge", "us-east-1a", "Linux/UNIX"));
        inventory.add(new Ec2Instance(unpriced, "m99.large", "us-east-1a", "Linux/UNIX"));
        usage.record(cpuOnly(idle, "m5.2xlarge", hourly(0.3)));
        usage.record(cpuOnly(silent, "m5.2xlarge", List.of())); // CloudWatch answered, with no datapoints
        usage.record(cpuOnly(unpriced, "m99.large", hourly(0.3)));

        var scan = source.scan("t1", Map.of());

        assertThat(scan.found()).extracting(r -> r.workload().name()).containsExactly("i-idle");
        assertThat(scan.evaluated()).as("what nothing is known of keeps its recommendations").containsExactly(idle.key());
    }

    @Test
    void aBadDatapointIsLeftOutAndCostsNoInstanceItsRecommendation() {
        WorkloadRef badCpu = ref("EC2Instance", "i-bad-cpu");
        WorkloadRef badMemory = ref("EC2Instance", "i-bad-memory");
        WorkloadRef after = ref("EC2Instance", "i-after");
        for (WorkloadRef vm : List.of(badCpu, badMemory, after)) {
            inventory.add(new Ec2Instance(vm, "m5.2xlarge", "us-east-1a", "Linux/UNIX"));
        }
        // CPUUtilization -50 on 4 vCPUs, and a NaN
        List<UsagePoint> cpu = new ArrayList<>(hourly(0.3));
        cpu.set(5, new UsagePoint(cpu.get(5).epochSecond(), -2.0));
        cpu.set(6, new UsagePoint(cpu.get(6).epochSecond(), Double.NaN));
        usage.record(cpuOnly(badCpu, "m5.2xlarge", cpu));
        // mem_used_percent -10, and an infinite one
        List<UsagePoint> memory = new ArrayList<>(hourly(0.3).stream().map(p -> new UsagePoint(p.epochSecond(), 4.0 * (1L << 30))).toList());
        memory.set(5, new UsagePoint(memory.get(5).epochSecond(), -0.1 * (32L << 30)));
        memory.set(7, new UsagePoint(memory.get(7).epochSecond(), Double.POSITIVE_INFINITY));
        usage.record(new InstanceUsage(badMemory, "m5.2xlarge", new Allocation(8, 32L << 30), hourly(0.3), Optional.of(memory),
                Optional.empty()));
        usage.record(cpuOnly(after, "m5.2xlarge", hourly(0.3)));

        var scan = source.scan("t1", Map.of());

        assertThat(scan.found()).extracting(r -> r.workload().name()).containsExactlyInAnyOrder("i-bad-cpu", "i-bad-memory", "i-after");
        int hours = hourly(0.3).size();
        assertThat(scan.found()).as("the bad points are left out, the rest counted").allSatisfy(r -> assertThat(r.evidence()
                .samples()).isEqualTo(r.workload().equals(after) ? hours : hours - 2));
    }

    /** Two weeks of hourly CPU around {@code cores}. */
    static List<UsagePoint> hourly(double cores) {
        List<UsagePoint> cpu = new ArrayList<>();
        for (long t = NOW.minus(Duration.ofDays(14)).getEpochSecond(); t < NOW.getEpochSecond(); t += 3600) {
            cpu.add(new UsagePoint(t, cores + 0.1 * Math.sin(t / 3600.0)));
        }
        return cpu;
    }

    static InstanceUsage cpuOnly(WorkloadRef vm, String type, List<UsagePoint> cpu) {
        return new InstanceUsage(vm, type, new Allocation(8, 32L << 30), cpu, Optional.empty(),
                Optional.of("the CloudWatch agent publishes no mem_used_percent"));
    }

    @Test
    void anotherTenantGetsNothingFromThisAccount() {
        inventory.add(new EbsVolume(ref("EBSVolume", "vol-1"), "gp2", 100, Optional.empty(), Optional.empty(), Optional.empty()));
        assertThat(source.scan("t1", Map.of()).found()).isNotEmpty();
        assertThat(source.scan("t2", Map.of())).isEqualTo(io.onloop.domain.rightsizing.copilot.RecommendationSource.Scan.NONE);
    }
}
