package io.onloop.domain.ingest;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventLimits;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.NormalizedAlert;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.privacy.SecretRedactor;
import io.onloop.domain.text.Digests;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** Stamps a parsed alert with tenant, id and receive time; bounds its sizes; redacts its texts, labels and raw payload. */
public final class EventNormalizer {
    private final EventLimits limits;

    public EventNormalizer(EventLimits limits) {
        this.limits = limits;
    }

    public Event toEvent(String tenantId, UUID sourceId, SourceType source, NormalizedAlert alert, Instant receivedAt) {
        // a label named for a secret says what its value is: wherever else that value appears, it is the secret too
        SecretRedactor.RedactedLabels redacted = SecretRedactor.redactLabels(alert.labels());
        Set<String> secrets = redacted.secretValues();
        UnaryOperator<String> redact = text -> SecretRedactor.withoutValues(SecretRedactor.redact(text), secrets);
        Resource r = alert.resource();
        Resource resource = new Resource(r.kind(), cut(redact.apply(r.id()), limits.title()),
                cut(redact.apply(r.name()), limits.title()));
        // A sender's time outside what the store can hold would fail the commit on every retry.
        Instant occurredAt = alert.occurredAt() == null || !EventLimits.storable(alert.occurredAt()) ? null : alert.occurredAt();
        Map<String, String> labels = new LinkedHashMap<>();
        // names that now collide merge here
        redacted.labels().forEach((k, v) -> labels.put(storable(k), storable(SecretRedactor.withoutValues(v, secrets))));
        // every text that is shown, sent or given to a model is redacted; the fingerprint was made from the alert as sent
        return new Event(Ids.newId(receivedAt), tenantId, sourceId, source, receivedAt, occurredAt,
                alert.status(), alert.severity(), cut(alert.sourceSeverity(), limits.labelValue()),
                cut(redact.apply(alert.title()), limits.title()),
                cut(redact.apply(alert.summary()), limits.summary()),
                resource, limits.bound(labels),
                fingerprint(alert.fingerprint(), limits.fingerprint()),
                cut(redact.apply(alert.link()), limits.link()),
                cut(SecretRedactor.withoutValues(SecretRedactor.redactPayload(alert.rawPayload()), secrets),
                        limits.rawPayload()), null);
    }

    /**
     * A fingerprint longer than the store keeps: its start, then a hash of all of it. Cut like other text, two alerts
     * that differ only after the cut (a Datadog monitor's groups with many tags) would be one, and one's recovery
     * would resolve the other's incident.
     */
    static String fingerprint(String value, int max) {
        String s = storable(value);
        return s == null || s.length() <= max ? s : EventLimits.truncate(s, max, "…sha256:" + Digests.sha256Short(s));
    }

    private static String cut(String value, int max) {
        return EventLimits.truncate(storable(value), max);
    }

    /**
     * U+0000 and lone surrogates (half an emoji, which JSON's {@code \\ud83d} escape can carry) become U+FFFD: PostgreSQL
     * stores neither (a lone surrogate comes back as {@code ?}, so a fingerprint no longer matches itself), the journal's
     * reader refuses a lone surrogate in a label name, and no sender means them.
     */
    static String storable(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
            boolean bad = c == '\0' || !pair && Character.isSurrogate(c);
            if (bad && out == null) {
                out = new StringBuilder(value.length()).append(value, 0, i);
            }
            if (out != null) {
                out.append(bad ? '\uFFFD' : c);
                if (pair) {
                    out.append(value.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return out == null ? value : out.toString();
    }
}
