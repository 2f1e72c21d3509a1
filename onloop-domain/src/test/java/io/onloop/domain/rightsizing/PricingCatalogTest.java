package io.onloop.domain.rightsizing;

import io.onloop.domain.rightsizing.PricingCatalog.InstanceType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PricingCatalogTest {

    private final PricingCatalog catalog = PricingCatalog.defaults();

    @Test
    void shipsTheCommonFamiliesWithTheirSizesAndArchitectures() {
        Map<String, List<InstanceType>> byFamily = catalog.instanceTypes().stream().collect(Collectors.groupingBy(InstanceType::family));
        for (String family : List.of("m5", "m6i", "m7i", "c5", "c6i", "c7i", "r5", "r6i", "r7i", "t3")) {
            assertThat(byFamily.get(family)).as(family).hasSizeGreaterThanOrEqualTo(7)
                    .allMatch(t -> t.architecture().equals(PricingCatalog.X86_64));
        }
        for (String family : List.of("m6g", "c6g", "r6g", "t4g")) {
            assertThat(byFamily.get(family)).as(family).hasSizeGreaterThanOrEqualTo(7)
                    .allMatch(t -> t.architecture().equals(PricingCatalog.ARM64));
        }
        InstanceType m5 = catalog.instanceType("m5.large").orElseThrow();
        assertThat(m5.vcpus()).isEqualTo(2);
        assertThat(m5.memoryGib()).isEqualTo(8);
        assertThat(m5.hourlyPrice()).isEqualTo(0.096);
        assertThat(m5.monthlyPrice()).isCloseTo(70.08, within(1e-9));
        assertThat(catalog.instanceType("t4g.micro").orElseThrow().burstable()).isTrue();
        assertThat(catalog.instanceType("c5.9xlarge").orElseThrow().vcpus()).isEqualTo(36);
    }

    @Test
    void withinAFixedPerformanceFamilyThePricePerVcpuAndMemoryPerVcpuAreConstant() {
        // a typo in the table shows as a size priced or sized off its family's line
        Map<String, List<InstanceType>> byFamily = catalog.instanceTypes().stream().filter(t -> !t.burstable())
                .collect(Collectors.groupingBy(InstanceType::family));
        byFamily.forEach((family, types) -> {
            InstanceType first = types.getFirst();
            for (InstanceType t : types) {
                assertThat(t.hourlyPrice() / t.vcpus()).as(t.name()).isCloseTo(first.hourlyPrice() / first.vcpus(), within(1e-6));
                assertThat(t.memoryGib() / t.vcpus()).as(t.name()).isEqualTo(first.memoryGib() / first.vcpus());
            }
        });
    }

    @Test
    void gravitonIsCheaperThanItsX86Peer() {
        assertThat(catalog.instanceType("m6g.large").orElseThrow().hourlyPrice())
                .isLessThan(catalog.instanceType("m6i.large").orElseThrow().hourlyPrice());
        assertThat(catalog.lambdaGbSecond("arm64")).isLessThan(catalog.lambdaGbSecond("x86_64"));
    }

    @Test
    void shipsContainerLambdaAndEbsPrices() {
        assertThat(catalog.currency()).isEqualTo("USD");
        assertThat(catalog.containerVcpuHour()).isEqualTo(0.04048);
        assertThat(catalog.containerGibHour()).isEqualTo(0.004445);
        assertThat(catalog.containerMonthly(1, 1024.0 * 1024 * 1024)).isCloseTo((0.04048 + 0.004445) * 730, within(1e-9));
        assertThat(catalog.lambdaGbSecond("x86_64")).isEqualTo(0.0000166667);
        assertThat(catalog.lambdaRequest()).isEqualTo(0.0000002);
        assertThat(catalog.ebs("gp3-gb-month")).isLessThan(catalog.ebs("gp2-gb-month"));
        for (String type : List.of("gp2", "gp3", "io1", "io2", "st1", "sc1")) {
            assertThat(catalog.knowsVolumeType(type)).as(type).isTrue();
        }
        assertThat(catalog.knowsVolumeType("standard")).isFalse();
        assertThatThrownBy(() -> catalog.lambdaGbSecond("sparc")).hasMessageContaining("sparc");
    }

    @Test
    void overridesReplacePricesAddTypesAndLeaveTheDefaultsAlone() {
        PricingCatalog tenant = catalog.withOverrides("""
                # negotiated prices
                currency,EUR
                container,vcpu-hour,0.03
                ec2,m5.large,0.08
                ec2,x9.huge,1.5,64,512,arm64

                ebs,gp3-gb-month,0.07
                """);
        assertThat(tenant.currency()).isEqualTo("EUR");
        assertThat(tenant.containerVcpuHour()).isEqualTo(0.03);
        assertThat(tenant.containerGibHour()).isEqualTo(0.004445);
        InstanceType m5 = tenant.instanceType("m5.large").orElseThrow();
        assertThat(m5.hourlyPrice()).isEqualTo(0.08);
        assertThat(m5.memoryGib()).isEqualTo(8);
        assertThat(tenant.instanceType("x9.huge").orElseThrow().architecture()).isEqualTo("arm64");
        assertThat(tenant.ebs("gp3-gb-month")).isEqualTo(0.07);
        assertThat(catalog.containerVcpuHour()).isEqualTo(0.04048);
        assertThat(catalog.instanceType("m5.large").orElseThrow().hourlyPrice()).isEqualTo(0.096);
        assertThat(catalog.instanceType("x9.huge")).isEmpty();
    }

    @Test
    void badOverridesAreRefusedWithTheLineAndTheReason() {
        assertBad("container,vcpu-hour,0.03\nec3,m5.large,0.1", "line 2", "unknown section 'ec3'");
        assertBad("container,cpu-hour,0.03", "line 1", "unknown container price 'cpu-hour'");
        assertBad("container,vcpu-hour,cheap", "line 1", "price 'cheap' is not a number");
        assertBad("container,vcpu-hour,-1", "line 1", "price must be a number from 0 to 1000000");
        assertBad("container,vcpu-hour,NaN", "line 1", "price must be a number from 0 to 1000000");
        assertBad("container,vcpu-hour,1e300", "line 1", "price must be a number from 0 to 1000000");
        assertBad("container,vcpu-hour", "line 1", "expected 3 fields");
        assertBad("ec2,z1.mega,0.5", "line 1", "unknown instance type 'z1.mega'");
        assertBad("ec2,z1.mega,0.5,4,16,sparc", "line 1", "architecture must be x86_64 or arm64");
        assertBad("ec2,z1.mega,0.5,four,16,arm64", "line 1", "vCPUs must be a whole number");
        assertBad("ec2,z1.mega,0.5,0,16,arm64", "line 1", "vCPUs and memory must be positive");
        assertBad("ec2,bigbox,0.5,4,16,arm64", "line 1", "not an instance type name");
        assertBad("ec2,m5.large,0.5,4", "line 1", "expected ec2,TYPE,PRICE");
        assertBad("currency,dollars", "line 1", "ISO 4217");
    }

    @Test
    void aBadLineAppliesNothing() {
        assertThatThrownBy(() -> catalog.withOverrides("container,vcpu-hour,0.01\nebs,gp9-gb-month,1"))
                .hasMessageContaining("line 2");
        assertThat(catalog.containerVcpuHour()).isEqualTo(0.04048);
    }

    private void assertBad(String csv, String line, String reason) {
        assertThatThrownBy(() -> catalog.withOverrides(csv)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(line).hasMessageContaining(reason);
    }

    @Test
    void everyPriceHasAKeyAndATenantsPricesReplaceThemByKey() {
        assertThat(catalog.prices()).containsEntry("ec2/m5.large", 0.096).containsEntry("container/vcpu-hour", catalog.containerVcpuHour())
                .containsEntry("lambda/request", catalog.lambdaRequest()).containsEntry("ebs/gp3-gb-month", catalog.ebs("gp3-gb-month"))
                .hasSize(catalog.instanceTypes().size() + 2 + 3 + 11);

        PricingCatalog tenant = catalog.withPrices(Map.of("ec2/m5.large", 0.05, "container/vcpu-hour", 0.02,
                "lambda/gb-second-arm64", 0.00001, "ebs/gp3-gb-month", 0.0, "ec2/m9.gone", 1.0, "gpu/hour", 2.0));

        InstanceType m5 = tenant.instanceType("m5.large").orElseThrow();
        assertThat(m5.hourlyPrice()).isEqualTo(0.05);
        assertThat(m5.vcpus()).isEqualTo(2);
        assertThat(tenant.containerVcpuHour()).isEqualTo(0.02);
        assertThat(tenant.lambdaGbSecond("arm64")).isEqualTo(0.00001);
        assertThat(tenant.ebs("gp3-gb-month")).isZero();
        // keys the catalog does not have are skipped, not added
        assertThat(tenant.prices()).containsOnlyKeys(catalog.prices().keySet());
        assertThat(tenant.instanceType("m9.gone")).isEmpty();
        // the catalog itself is unchanged
        assertThat(catalog.instanceType("m5.large").orElseThrow().hourlyPrice()).isEqualTo(0.096);

        assertThatThrownBy(() -> catalog.withPrices(Map.of("ec2/m5.large", -0.01))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ec2/m5.large");
        assertThatThrownBy(() -> catalog.withPrices(Map.of("lambda/request", Double.NaN))).isInstanceOf(IllegalArgumentException.class);
    }
}
