package io.onloop.domain.access;

import java.time.Instant;
import java.util.UUID;

/** A local user. {@code passwordHash} is a KDF output in its encoder's own encoding, never a password. */
public record User(UUID id, String tenantId, String username, String passwordHash, Role role, boolean disabled,
                   Instant createdAt) {
}
