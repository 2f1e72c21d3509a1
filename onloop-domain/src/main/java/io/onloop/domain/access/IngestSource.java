package io.onloop.domain.access;

import io.onloop.domain.event.SourceType;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A configured sender: one format, one tenant, one credential. Only the SHA-256 of its token is
 * stored. {@code verifySignatures} is true unless an admin switched it off explicitly.
 * {@code topicArns}: for an SNS source, the topics whose messages it takes (empty: any topic).
 */
public record IngestSource(UUID id, String tenantId, SourceType format, String name, String tokenHash,
                           boolean verifySignatures, List<String> topicArns, Instant createdAt) {
    public IngestSource {
        topicArns = List.copyOf(topicArns);
    }

    public IngestSource withTopicArns(List<String> topics) {
        return new IngestSource(id, tenantId, format, name, tokenHash, verifySignatures, topics, createdAt);
    }
}
