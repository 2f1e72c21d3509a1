package io.onloop.domain.incident;

import io.onloop.domain.event.Event;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The latest state of one alert (one fingerprint) within an incident.
 *
 * @param eventId    the stored event that put the alert in this state (fired, refired, resolved or changed
 *                   its content); null for alerts recorded before repeats were counted
 * @param contentKey {@link #contentKey(Event)} of that event
 * @param repeats    how many unchanged repeats of that event have arrived since, counted here instead of
 *                   stored as events of their own
 * @param lastSeenAt when the latest event of this alert arrived
 * @param occurredAt when that event happened by its sender's clock (an Alertmanager alert's {@code startsAt}, a
 *                   CloudWatch alarm's {@code StateChangeTime}); null when the sender gave no time of its own, and for
 *                   alerts recorded before this was kept
 */
public record AlertState(boolean firing, UUID eventId, long contentKey, int repeats, Instant lastSeenAt,
                         Instant occurredAt) {

    public AlertState {
        Objects.requireNonNull(lastSeenAt, "lastSeenAt");
    }

    /** The state an event that is stored in full puts its alert in. */
    public static AlertState startedBy(Event event, boolean firing) {
        return new AlertState(firing, event.id(), contentKey(event), 0, event.receivedAt(), sendersTime(event));
    }

    /** Whether {@code event} only repeats the firing event this state was started by. */
    public boolean repeatedBy(Event event) {
        return firing && eventId != null && contentKey == contentKey(event);
    }

    public AlertState repeatedAt(Instant at) {
        return new AlertState(firing, eventId, contentKey, repeats + 1, at, occurredAt);
    }

    /**
     * Whether {@code resolve} ended an episode of this alert that was over before the one firing now began: a late
     * or reordered delivery (SNS does not keep order; a sender retries), which must not resolve the newer episode.
     * Only when both senders' times are known.
     */
    public boolean staleResolve(Event resolve) {
        Instant ended = sendersTime(resolve);
        return firing && occurredAt != null && ended != null && ended.isBefore(occurredAt);
    }

    /**
     * The event's time by its sender's clock, to order an alert's episodes by; null when the sender gave none (onloop
     * then uses the receive time), or one more than {@link #CLOCK_SKEW} ahead of onloop's clock: a wrong clock or a
     * made-up time (a resolve dated 2099 would otherwise make every later firing "late" for good).
     */
    public static Instant sendersTime(Event e) {
        Instant t = e.occurredAt();
        return t.equals(e.receivedAt()) || t.isAfter(e.receivedAt().plus(CLOCK_SKEW)) ? null : t;
    }

    /** How far ahead of onloop's clock a sender's may be and still be believed. */
    public static final java.time.Duration CLOCK_SKEW = java.time.Duration.ofMinutes(15);

    /**
     * A 64-bit FNV-1a hash of what an operator reads in an event: severity, title, summary, resource,
     * labels, link, and when it began at the source if the sender said so (a new {@code startsAt} is a
     * new episode, even if no resolve arrived in between). Equal keys mean "nothing new", so the repeat
     * is counted, not stored. Stable across restarts (labels are hashed in name order), as the key is
     * stored with the alert. Annotations that no field carries are not compared.
     */
    public static long contentKey(Event e) {
        long h = 0xcbf29ce484222325L;
        h = mix(h, e.severity().id());
        h = mix(h, e.sourceSeverity());
        h = mix(h, e.title());
        h = mix(h, e.summary());
        h = mix(h, e.resource().kind());
        h = mix(h, e.resource().id());
        h = mix(h, e.resource().name());
        h = mix(h, Objects.requireNonNullElse(e.link(), ""));
        // a sender that gives no time of its own gets receivedAt, which differs on every repeat
        h = mix(h, e.occurredAt().equals(e.receivedAt()) ? "" : e.occurredAt().toString());
        for (Map.Entry<String, String> l : new TreeMap<>(e.labels()).entrySet()) {
            h = mix(h, l.getKey());
            h = mix(h, l.getValue());
        }
        return h;
    }

    /** The length first, so that ("ab", "c") and ("a", "bc") hash apart. */
    private static long mix(long h, String s) {
        h = (h ^ s.length()) * 0x100000001b3L;
        for (int i = 0; i < s.length(); i++) {
            h = (h ^ s.charAt(i)) * 0x100000001b3L;
        }
        return h;
    }
}
