package io.onloop.domain.access;

import java.time.Instant;
import java.util.UUID;

/**
 * An API token. Only the SHA-256 of the token is stored ({@code tokenHash}, hex); the token itself
 * is shown once, when it is created. {@code expiresAt} may be null (no expiry).
 */
public record ApiToken(UUID id, String tenantId, String name, String tokenHash, Role role, Instant createdAt,
                       Instant expiresAt, boolean revoked) {

    public boolean usableAt(Instant now) {
        return !revoked && (expiresAt == null || now.isBefore(expiresAt));
    }
}
