package io.onloop.domain.ingest;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.privacy.SecretRedactor;

import java.time.Instant;
import java.util.UUID;

/** Stamps a parsed alert with tenant, id and receive time; bounds its sizes; redacts its raw payload. */
public final class EventNormalizer {
    private final EventLimits limits;

    public EventNormalizer(EventLimits limits) {
        this.limits = limits;
    }

    public Event toEvent(String tenantId, UUID sourceId, SourceType source, NormalizedAlert alert, Instant receivedAt) {
        Resource r = alert.resource();
        Resource resource = new Resource(r.kind(), EventLimits.truncate(r.id(), limits.title()),
                EventLimits.truncate(r.name(), limits.title()));
        // A sender's time outside what the store can hold would fail the commit on every retry.
        Instant occurredAt = alert.occurredAt() == null || !EventLimits.storable(alert.occurredAt()) ? null : alert.occurredAt();
        return new Event(Ids.newId(receivedAt), tenantId, sourceId, source, receivedAt, occurredAt,
                alert.status(), alert.severity(), EventLimits.truncate(alert.sourceSeverity(), limits.labelValue()),
                EventLimits.truncate(alert.title(), limits.title()),
                EventLimits.truncate(SecretRedactor.redact(alert.summary()), limits.summary()),
                resource, limits.bound(alert.labels()),
                EventLimits.truncate(alert.fingerprint(), limits.fingerprint()),
                EventLimits.truncate(alert.link(), limits.link()),
                EventLimits.truncate(SecretRedactor.redact(alert.rawPayload()), limits.rawPayload()), null);
    }
}
