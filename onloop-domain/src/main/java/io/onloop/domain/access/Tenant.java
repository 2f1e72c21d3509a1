package io.onloop.domain.access;

import java.time.Instant;

/** Every row onloop stores belongs to exactly one tenant; every query is scoped by it. */
public record Tenant(String id, String name, Instant createdAt) {
}
