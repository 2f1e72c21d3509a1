package io.onloop.domain.rightsizing.inventory;

import io.onloop.domain.rightsizing.WorkloadRef;

/** A Lambda function: {@code ref.name()} is its name. */
public record LambdaFunction(WorkloadRef ref, int memoryMb, String architecture, int timeoutSeconds) {
}
