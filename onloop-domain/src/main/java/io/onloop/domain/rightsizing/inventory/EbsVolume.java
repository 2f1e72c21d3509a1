package io.onloop.domain.rightsizing.inventory;

import io.onloop.domain.rightsizing.WorkloadRef;

import java.util.Optional;

/**
 * An EBS volume: {@code ref.name()} is its id.
 *
 * @param attachedTo the instance it is attached to; empty when unattached
 */
public record EbsVolume(WorkloadRef ref, String volumeType, int sizeGib, Optional<Integer> iops,
                        Optional<Integer> throughputMibps, Optional<String> attachedTo) {
}
