package io.onloop.domain.rightsizing.inventory;

import io.onloop.domain.rightsizing.WorkloadRef;

/** A running EC2 instance: {@code ref.name()} is its id. */
public record Ec2Instance(WorkloadRef ref, String instanceType, String availabilityZone, String platform) {
}
