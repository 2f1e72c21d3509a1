package io.onloop.testkit.rightsizing;

import io.onloop.domain.rightsizing.Allocation;
import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import io.onloop.domain.rightsizing.usage.InstanceUsage;
import io.onloop.domain.rightsizing.usage.UsagePoint;
import io.onloop.domain.rightsizing.usage.UsageWindow;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InMemoryCloudFakesTest {

    static final Ec2Instance A = new Ec2Instance(new WorkloadRef("aws", "test", "", "EC2Instance", "i-a", ""),
            "m5.large", "eu-west-1a", "Linux/UNIX");
    static final Ec2Instance B = new Ec2Instance(new WorkloadRef("aws", "test", "", "EC2Instance", "i-b", ""),
            "t3.small", "eu-west-1a", "Linux/UNIX");
    static final UsageWindow DAY = new UsageWindow(Instant.EPOCH, Instant.EPOCH.plus(Duration.ofDays(1)), Duration.ofHours(1));

    @Test
    void usageAnswersOneEntryPerResourceInOrderEvenWithoutARecord() {
        var recorded = new InstanceUsage(B.ref(), "t3.small", new Allocation(2, 2e9), List.of(new UsagePoint(0, 0.3)),
                Optional.of(List.of(new UsagePoint(0, 1e9))), Optional.empty());
        var usage = new InMemoryCloudUsage().record(recorded);

        var answer = usage.instances(List.of(A, B), DAY);

        assertThat(answer).hasSize(2);
        assertThat(answer.get(0).ref()).isEqualTo(A.ref());
        assertThat(answer.get(0).cpuCores()).isEmpty();
        assertThat(answer.get(0).memoryAbsent()).isPresent();
        assertThat(answer.get(1)).isEqualTo(recorded);
    }

    @Test
    void inventoryReturnsWhatWasAddedUntilToldToFail() {
        var inventory = new InMemoryCloudInventory().add(A).add(B);
        assertThat(inventory.instances()).containsExactly(A, B);

        inventory.failWith("AWS denied ec2:DescribeInstances");
        assertThatThrownBy(inventory::instances).isInstanceOf(InventoryUnavailableException.class)
                .hasMessage("AWS denied ec2:DescribeInstances");
        inventory.failWith(null);
        assertThat(inventory.volumes()).isEmpty();
    }
}
