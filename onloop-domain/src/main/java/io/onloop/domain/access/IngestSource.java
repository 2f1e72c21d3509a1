package io.onloop.domain.access;

import io.onloop.domain.event.SourceType;

import java.time.Instant;
import java.util.UUID;

/**
 * A configured sender: one format, one tenant, one credential. Only the SHA-256 of its token is
 * stored. {@code verifySignatures} is true unless an admin switched it off explicitly.
 */
public record IngestSource(UUID id, String tenantId, SourceType format, String name, String tokenHash,
                           boolean verifySignatures, Instant createdAt) {
}
