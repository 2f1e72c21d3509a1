package io.onloop.adapters.aws;

import io.onloop.domain.rightsizing.WorkloadRef;
import io.onloop.domain.rightsizing.inventory.CloudInventory;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.InventoryUnavailableException;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.lambda.model.FunctionConfiguration;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The account's running EC2 instances, Lambda functions and EBS volumes in one region, read through
 * DescribeInstances, ListFunctions and DescribeVolumes with all their pages.
 */
public final class AwsInventory implements CloudInventory {

    private final AwsClients aws;

    public AwsInventory(AwsClients aws) {
        this.aws = aws;
    }

    @Override
    public List<Ec2Instance> instances() {
        return read("ec2:DescribeInstances", () -> aws.ec2
                .describeInstancesPaginator(r -> r.filters(Filter.builder().name("instance-state-name").values("running").build()))
                .reservations().stream()
                .flatMap(reservation -> reservation.instances().stream())
                .filter(i -> i.tags().stream().noneMatch(t -> launchedByAGroup(t.key())))
                .map(this::instance)
                .toList());
    }

    /**
     * An Auto Scaling group's, an EKS node group's or Karpenter's instance: stopped to change its type, it is replaced
     * from its launch template with the old type, so the change is lost and the instance with it. Its type is
     * changed in the template or node pool, which onloop does not plan yet, so such instances are left out.
     */
    static boolean launchedByAGroup(String tagKey) {
        return tagKey.equals("aws:autoscaling:groupName") || tagKey.equals("eks:nodegroup-name")
                || tagKey.startsWith("karpenter.sh/");
    }

    @Override
    public List<LambdaFunction> functions() {
        return read("lambda:ListFunctions", () -> aws.lambda.listFunctionsPaginator(r -> { })
                .functions().stream()
                .map(this::function)
                .toList());
    }

    @Override
    public List<EbsVolume> volumes() {
        return read("ec2:DescribeVolumes", () -> aws.ec2.describeVolumesPaginator(r -> { })
                .volumes().stream()
                .map(this::volume)
                .toList());
    }

    private Ec2Instance instance(Instance i) {
        // PlatformDetails says "Linux/UNIX", "Windows", "Red Hat Enterprise Linux"...: what the price depends on
        String platform = i.platformDetails() != null ? i.platformDetails()
                : i.platformAsString() != null ? i.platformAsString() : "Linux/UNIX";
        return new Ec2Instance(ref("EC2Instance", i.instanceId()), i.instanceTypeAsString(),
                i.placement() == null ? "" : i.placement().availabilityZone(), platform);
    }

    private LambdaFunction function(FunctionConfiguration f) {
        String architecture = f.hasArchitectures() && !f.architectures().isEmpty()
                ? f.architecturesAsStrings().getFirst() : "x86_64";
        return new LambdaFunction(ref("LambdaFunction", f.functionName()), f.memorySize(), architecture, f.timeout());
    }

    /** A volume counts as attached while an attachment is not yet detached (a multi-attach volume: the first). */
    private EbsVolume volume(Volume v) {
        Optional<String> attachedTo = v.attachments().stream()
                .filter(a -> a.state() != VolumeAttachmentState.DETACHED)
                .map(VolumeAttachment::instanceId)
                .findFirst();
        return new EbsVolume(ref("EBSVolume", v.volumeId()), v.volumeTypeAsString(), v.size(),
                Optional.ofNullable(v.iops()), Optional.ofNullable(v.throughput()), attachedTo);
    }

    private WorkloadRef ref(String kind, String id) {
        return new WorkloadRef("aws", aws.settings.environment(), "", kind, id, "");
    }

    private static <T> T read(String call, Supplier<T> read) {
        try {
            return read.get();
        } catch (SdkException e) {
            throw new InventoryUnavailableException(AwsFailures.describe(call, e), e);
        }
    }
}
