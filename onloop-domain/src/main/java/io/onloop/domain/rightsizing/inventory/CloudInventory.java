package io.onloop.domain.rightsizing.inventory;

import java.util.List;

/**
 * Port: the cloud resources rightsizing looks at, as the provider reports them now (the AWS adapter reads
 * them through the EC2 and Lambda APIs).
 *
 * @throws InventoryUnavailableException from every method when the provider cannot be reached or refuses
 */
public interface CloudInventory {

    /** The running virtual machines. */
    List<Ec2Instance> instances();

    /** The serverless functions. */
    List<LambdaFunction> functions();

    /** The block volumes, attached or not. */
    List<EbsVolume> volumes();
}
