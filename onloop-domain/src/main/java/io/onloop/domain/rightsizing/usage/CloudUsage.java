package io.onloop.domain.rightsizing.usage;

import io.onloop.domain.rightsizing.inventory.Ec2Instance;
import io.onloop.domain.rightsizing.inventory.EbsVolume;
import io.onloop.domain.rightsizing.inventory.LambdaFunction;

import java.util.List;

/**
 * Port: how much of what they were given the cloud resources used (the AWS adapter reads CloudWatch).
 * Each method answers one entry per resource asked about, in the same order; a resource without data
 * has empty series rather than no entry.
 *
 * @throws io.onloop.domain.metrics.MetricsUnavailableException from every method when the metrics
 *         backend cannot be reached, throttles, or refuses
 */
public interface CloudUsage {

    List<InstanceUsage> instances(List<Ec2Instance> instances, UsageWindow window);

    List<FunctionUsage> functions(List<LambdaFunction> functions, UsageWindow window);

    List<VolumeUsage> volumes(List<EbsVolume> volumes, UsageWindow window);
}
