package io.onloop.testkit.store;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.audit.AuditQuery;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.incident.AlertState;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.incident.TimelineEntry;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.FiringAlert;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.store.Page;
import io.onloop.domain.store.Pruned;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * An {@link EventStore} in memory, for unit tests of logic that uses the port. It keeps the same
 * promises as the JDBC store and passes the same {@link EventStoreContract}:
 * transactions are serialized by one lock and undone on exception (an undo log), instants are kept
 * at microsecond precision, U+0000 in text becomes U+FFFD, and a duplicate id fails the transaction.
 */
public final class InMemoryEventStore implements EventStore {
    private record AlertKey(UUID incidentId, String fingerprint) {
    }

    private record Alert(String tenantId, AlertState state) {
    }

    private record Repeat(String tenantId, UUID eventId) {
    }

    private final ReentrantLock lock = new ReentrantLock(true);
    private final Map<UUID, Event> events = new LinkedHashMap<>();
    private final Map<UUID, Incident> incidents = new LinkedHashMap<>();
    private final Map<AlertKey, Alert> alerts = new HashMap<>();
    /** Ids of repeats that were counted, not stored, and the event each repeated. */
    private final Map<UUID, Repeat> repeats = new HashMap<>();
    private final List<TimelineEntry> timeline = new ArrayList<>();
    private final List<AuditEntry> audit = new ArrayList<>();
    /** Ids of timeline lines and of audit entries, for the duplicate checks primary keys would make. */
    private final Set<UUID> timelineIds = new HashSet<>();
    private final Set<UUID> auditIds = new HashSet<>();
    private final Map<String, Long> journalCheckpoints = new HashMap<>();
    /** (tenant, fingerprint) → when a resolve last ended the alert's episode, by its sender's clock. */
    private final Map<List<String>, Instant> episodeEnds = new HashMap<>();

    @Override
    public <T> T inTransaction(Function<Transaction, T> work) {
        lock.lock();
        Tx tx = new Tx();
        try {
            T result = work.apply(tx);
            tx.open = false;
            return result;
        } catch (RuntimeException | Error e) {
            tx.rollback();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Every write records how to undo itself; a failed transaction replays them backwards. */
    private final class Tx implements Transaction {
        private final Deque<Runnable> undo = new ArrayDeque<>();
        boolean open = true;

        private void check() {
            if (!open) {
                throw new IllegalStateException("transaction is over");
            }
        }

        void rollback() {
            while (!undo.isEmpty()) {
                undo.pop().run();
            }
            open = false;
        }

        @Override
        public void insertEvent(Event event) {
            check();
            Event e = normalize(event);
            if (events.containsKey(e.id())) {
                throw new IllegalStateException("duplicate event id " + e.id());
            }
            if (e.incidentId() != null && !incidents.containsKey(e.incidentId())) {
                throw new IllegalStateException("no incident " + e.incidentId());
            }
            events.put(e.id(), e);
            undo.push(() -> events.remove(e.id()));
        }

        @Override
        public void insertIncident(Incident incident) {
            check();
            Incident i = normalize(incident);
            if (incidents.containsKey(i.id())) {
                throw new IllegalStateException("duplicate incident id " + i.id());
            }
            incidents.put(i.id(), i);
            undo.push(() -> incidents.remove(i.id()));
        }

        @Override
        public void updateIncident(Incident incident) {
            check();
            Incident i = normalize(incident);
            Incident old = incidents.get(i.id());
            if (old == null || !old.tenantId().equals(i.tenantId())) {
                throw new IllegalStateException("no incident " + i.id() + " in tenant " + i.tenantId());
            }
            incidents.put(i.id(), i);
            undo.push(() -> incidents.put(old.id(), old));
        }

        @Override
        public Optional<Incident> lockIncident(String tenantId, UUID id) {
            check();
            return findIncident(tenantId, id);
        }

        @Override
        public Optional<Incident> openIncidentWithFingerprint(String tenantId, String fingerprint) {
            check();
            return newestOpen(tenantId, i -> alerts.containsKey(new AlertKey(i.id(), text(fingerprint))));
        }

        @Override
        public Optional<Incident> openIncidentWithGroupKey(String tenantId, String groupKey) {
            check();
            return newestOpen(tenantId, i -> Objects.equals(groupKey, i.groupKey()));
        }

        private Optional<Incident> newestOpen(String tenantId, Predicate<Incident> match) {
            return incidents.values().stream()
                    .filter(i -> i.tenantId().equals(tenantId) && i.isOpen() && match.test(i))
                    .max(Comparator.comparing(Incident::openedAt));
        }

        @Override
        public Optional<AlertState> alert(String tenantId, UUID incidentId, String fingerprint) {
            check();
            Alert a = alerts.get(new AlertKey(incidentId, text(fingerprint)));
            return a == null || !a.tenantId().equals(tenantId) ? Optional.empty() : Optional.of(a.state());
        }

        @Override
        public void putAlert(String tenantId, UUID incidentId, String fingerprint, AlertState state) {
            check();
            if (!incidents.containsKey(incidentId)) {
                throw new IllegalStateException("no incident " + incidentId);
            }
            AlertKey key = new AlertKey(incidentId, text(fingerprint));
            Alert old = alerts.put(key, new Alert(tenantId, new AlertState(state.firing(), state.eventId(),
                    state.contentKey(), state.repeats(), micros(state.lastSeenAt()),
                    state.occurredAt() == null ? null : micros(state.occurredAt()))));
            undo.push(() -> {
                if (old == null) {
                    alerts.remove(key);
                } else {
                    alerts.put(key, old);
                }
            });
        }

        @Override
        public Optional<Instant> episodeEnded(String tenantId, String fingerprint) {
            check();
            return Optional.ofNullable(episodeEnds.get(List.of(tenantId, text(fingerprint))));
        }

        @Override
        public void recordEpisodeEnd(String tenantId, String fingerprint, Instant at) {
            check();
            List<String> key = List.of(tenantId, text(fingerprint));
            Instant old = episodeEnds.get(key);
            if (old == null || old.isBefore(micros(at))) {
                episodeEnds.put(key, micros(at));
                undo.push(() -> {
                    if (old == null) {
                        episodeEnds.remove(key);
                    } else {
                        episodeEnds.put(key, old);
                    }
                });
            }
        }

        @Override
        public void recordRepeat(Event repeat, UUID repeatedEventId) {
            check();
            if (repeats.containsKey(repeat.id())) {
                throw new IllegalStateException("duplicate repeat id " + repeat.id());
            }
            repeats.put(repeat.id(), new Repeat(repeat.tenantId(), repeatedEventId));
            undo.push(() -> repeats.remove(repeat.id()));
        }

        @Override
        public void finishRepeats(String tenantId, UUID eventId, int count, Instant lastSeenAt) {
            check();
            Event old = events.get(eventId);
            if (old == null || !old.tenantId().equals(tenantId)) {
                return; // as an UPDATE of no row
            }
            events.put(eventId, old.withRepeats(count, micros(lastSeenAt)));
            undo.push(() -> events.put(eventId, old));
        }

        @Override
        public void appendTimeline(TimelineEntry entry) {
            check();
            if (!incidents.containsKey(entry.incidentId())) {
                throw new IllegalStateException("no incident " + entry.incidentId());
            }
            if (!timelineIds.add(entry.id())) {
                throw new IllegalStateException("duplicate timeline id " + entry.id());
            }
            timeline.add(new TimelineEntry(entry.id(), entry.tenantId(), entry.incidentId(), micros(entry.at()),
                    entry.kind(), text(entry.actor()), text(entry.text()), entry.eventId()));
            undo.push(() -> { // by id: a prune undone before it puts lines back at the end
                timeline.removeIf(t -> t.id().equals(entry.id()));
                timelineIds.remove(entry.id());
            });
        }

        @Override
        public void appendAudit(AuditEntry entry) {
            check();
            if (!auditIds.add(entry.id())) {
                throw new IllegalStateException("duplicate audit id " + entry.id());
            }
            audit.add(new AuditEntry(entry.id(), entry.tenantId(), micros(entry.at()), text(entry.actor()),
                    text(entry.action()), text(entry.targetType()), text(entry.targetId()), text(entry.detail())));
            undo.push(() -> auditIds.remove(audit.removeLast().id()));
        }

        @Override
        public void setJournalCheckpoint(String journalId, long position) {
            check();
            Long before = journalCheckpoints.put(journalId, position);
            undo.push(() -> {
                if (before == null) {
                    journalCheckpoints.remove(journalId);
                } else {
                    journalCheckpoints.put(journalId, before);
                }
            });
        }

        @Override
        public Pruned prune(String tenantId, Instant cutoff, int limit) {
            check();
            Instant before = micros(cutoff);
            List<Incident> old = incidents.values().stream()
                    .filter(i -> i.tenantId().equals(tenantId) && !i.isOpen() && i.resolvedAt().isBefore(before))
                    .sorted(Comparator.comparing(Incident::openedAt)).limit(limit).toList();
            int budget = Pruned.eventBudget(limit);
            List<Event> goneEvents = new ArrayList<>();
            List<Incident> gone = new ArrayList<>();
            for (Incident i : old) {
                int room = budget - goneEvents.size();
                List<Event> theirs = events.values().stream().filter(e -> i.id().equals(e.incidentId())).toList();
                goneEvents.addAll(theirs.subList(0, Math.min(room, theirs.size())));
                if (theirs.size() > room) {
                    break;
                }
                gone.add(i);
            }
            Set<UUID> goneIds = new HashSet<>(gone.stream().map(Incident::id).toList());
            goneEvents.addAll(events.values().stream()
                    .filter(e -> e.tenantId().equals(tenantId) && e.incidentId() == null && e.receivedAt().isBefore(before))
                    .sorted(Comparator.comparing(Event::receivedAt)).limit(limit).toList());
            List<TimelineEntry> goneLines = timeline.stream().filter(t -> goneIds.contains(t.incidentId())).toList();
            Map<AlertKey, Alert> goneAlerts = new HashMap<>();
            alerts.forEach((k, a) -> {
                if (goneIds.contains(k.incidentId())) {
                    goneAlerts.put(k, a);
                }
            });
            goneEvents.forEach(e -> events.remove(e.id()));
            gone.forEach(i -> incidents.remove(i.id()));
            timeline.removeAll(goneLines);
            goneLines.forEach(t -> timelineIds.remove(t.id()));
            goneAlerts.keySet().forEach(alerts::remove);
            UUID repeatedBefore = Ids.firstAt(cutoff);
            Map<UUID, Repeat> goneRepeats = new HashMap<>();
            repeats.entrySet().stream()
                    .filter(r -> UNSIGNED.compare(r.getKey(), repeatedBefore) < 0 && r.getValue().tenantId().equals(tenantId)
                            && !events.containsKey(r.getValue().eventId()))
                    .sorted(Map.Entry.comparingByKey(UNSIGNED)).limit(limit)
                    .forEach(r -> goneRepeats.put(r.getKey(), r.getValue()));
            goneRepeats.keySet().forEach(repeats::remove);
            Map<List<String>, Instant> goneEnds = new HashMap<>();
            episodeEnds.entrySet().stream().filter(e -> e.getKey().getFirst().equals(tenantId) && e.getValue().isBefore(before))
                    .limit(limit).forEach(e -> goneEnds.put(e.getKey(), e.getValue()));
            goneEnds.keySet().forEach(episodeEnds::remove);
            undo.push(() -> {
                episodeEnds.putAll(goneEnds);
                goneEvents.forEach(e -> events.put(e.id(), e));
                gone.forEach(i -> incidents.put(i.id(), i));
                timeline.addAll(goneLines); // the timeline is read sorted by time
                goneLines.forEach(t -> timelineIds.add(t.id()));
                alerts.putAll(goneAlerts);
                repeats.putAll(goneRepeats);
            });
            return new Pruned(gone.size(), goneEvents.size(), goneRepeats.size(), 0, goneEnds.size());
        }
    }

    // ---- reads ------------------------------------------------------------------------------

    @Override
    public Optional<Event> findEvent(String tenantId, UUID id) {
        return locked(() -> {
            Repeat repeat = repeats.get(id);
            UUID stored = repeat != null && repeat.tenantId().equals(tenantId) ? repeat.eventId() : id;
            return Optional.ofNullable(events.get(stored)).filter(e -> e.tenantId().equals(tenantId))
                    .map(this::withCurrentRepeats);
        });
    }

    /** An event whose alert is still in the state it started carries the count kept with that state. */
    private Event withCurrentRepeats(Event e) {
        Alert a = e.incidentId() == null ? null : alerts.get(new AlertKey(e.incidentId(), e.fingerprint()));
        return a != null && e.id().equals(a.state().eventId()) && a.state().repeats() > 0
                ? e.withRepeats(a.state().repeats(), a.state().lastSeenAt()) : e;
    }

    @Override
    public Page<Event> findEvents(EventQuery q) {
        Predicate<Event> scope = e -> e.tenantId().equals(q.tenantId()) && inRange(e.receivedAt(), q.from(), q.to());
        Predicate<Event> match = e -> (q.statuses().isEmpty() || q.statuses().contains(e.status()))
                && (q.severities().isEmpty() || q.severities().contains(e.severity()))
                && (q.sources().isEmpty() || q.sources().contains(e.source()))
                && resourceMatches(q.resource(), e.resource())
                && e.labels().entrySet().containsAll(labels(q.labels()).entrySet()) // as stored: NUL as U+FFFD
                && (textMatches(q.text(), e.title()) || textMatches(q.text(), e.summary()))
                && (q.incidentId() == null || q.incidentId().equals(e.incidentId()));
        return locked(() -> page(events.values().stream().filter(scope).map(this::withCurrentRepeats), match,
                q.pageScanLimit(), Event::receivedAt, Event::id, q.limit(), q.cursor()));
    }

    @Override
    public Optional<Incident> findIncident(String tenantId, UUID id) {
        return locked(() -> Optional.ofNullable(incidents.get(id)).filter(i -> i.tenantId().equals(tenantId)));
    }

    @Override
    public Map<Severity, Integer> countOpenIncidents(String tenantId) {
        Map<Severity, Integer> out = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            out.put(s, 0);
        }
        locked(() -> {
            incidents.values().stream().filter(i -> i.tenantId().equals(tenantId) && i.status() != IncidentStatus.RESOLVED)
                    .forEach(i -> out.merge(i.severity(), 1, Integer::sum));
            return null;
        });
        return out;
    }

    @Override
    public List<FiringAlert> firingAlerts(String tenantId) {
        return locked(() -> alerts.values().stream()
                .filter(a -> a.tenantId().equals(tenantId) && a.state().firing() && a.state().eventId() != null
                        && events.containsKey(a.state().eventId()))
                .filter(a -> incidents.get(events.get(a.state().eventId()).incidentId()).isOpen())
                .map(a -> new FiringAlert(withCurrentRepeats(events.get(a.state().eventId())),
                        a.state().occurredAt() != null ? a.state().occurredAt() : a.state().lastSeenAt()))
                .sorted(Comparator.comparing(FiringAlert::fingerprint)).toList());
    }

    @Override
    public Page<Incident> findIncidents(IncidentQuery q) {
        Predicate<Incident> scope = i -> i.tenantId().equals(q.tenantId()) && inRange(i.openedAt(), q.from(), q.to());
        Predicate<Incident> match = i -> (q.statuses().isEmpty() || q.statuses().contains(i.status()))
                && (q.severities().isEmpty() || q.severities().contains(i.severity()))
                && (q.sources().isEmpty() || q.sources().contains(i.source()))
                && resourceMatches(q.resource(), i.resource())
                && i.labels().entrySet().containsAll(q.labels().entrySet())
                && textMatches(q.text(), i.title());
        return locked(() -> page(incidents.values().stream().filter(scope), match,
                q.pageScanLimit(), Incident::openedAt, Incident::id, q.limit(), q.cursor()));
    }

    @Override
    public List<TimelineEntry> timeline(String tenantId, UUID incidentId) {
        return locked(() -> timeline.stream()
                .filter(t -> t.tenantId().equals(tenantId) && t.incidentId().equals(incidentId))
                .sorted(Comparator.comparing(TimelineEntry::at)) // stable: same instant keeps insertion order
                .toList());
    }

    @Override
    public Page<AuditEntry> auditLog(AuditQuery query, int limit, String cursor) {
        return locked(() -> page(audit.stream().filter(query::matches), a -> true, 0,
                AuditEntry::at, AuditEntry::id, Math.clamp(limit, 1, 500), cursor));
    }

    @Override
    public long journalCheckpoint(String journalId) {
        return locked(() -> journalCheckpoints.getOrDefault(journalId, 0L));
    }

    private <T> T locked(java.util.function.Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** UUIDs compare as unsigned 128-bit numbers, as databases compare them (UUID.compareTo is signed). */
    static final Comparator<UUID> UNSIGNED = Comparator.comparing((UUID u) -> u.getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned);

    /**
     * As the JDBC store pages: newest first after the cursor; with a {@code scanLimit} (0: none), matches are looked
     * for among that many rows only, and a page that did not fill there ends at the last of them.
     */
    private static <T> Page<T> page(Stream<T> rows, Predicate<T> match, int scanLimit, Function<T, Instant> time,
                                    Function<T, UUID> id, int limit, String cursor) {
        Comparator<T> newestFirst = Comparator.comparing(time).thenComparing(id, UNSIGNED).reversed();
        Stream<T> sorted = rows.sorted(newestFirst);
        if (cursor != null && !cursor.isEmpty()) {
            String[] parts = decode(cursor);
            Instant at = Instant.EPOCH.plus(Long.parseLong(parts[0]), ChronoUnit.MICROS);
            UUID after = UUID.fromString(parts[1]);
            sorted = sorted.filter(r -> time.apply(r).isBefore(at)
                    || time.apply(r).equals(at) && UNSIGNED.compare(id.apply(r), after) < 0);
        }
        T edge = null;
        if (scanLimit > 0) {
            List<T> window = sorted.limit(scanLimit + 1L).toList();
            if (window.size() > scanLimit) {
                edge = window.get(scanLimit - 1);
                window = window.subList(0, scanLimit);
            }
            sorted = window.stream();
        }
        List<T> list = sorted.filter(match).limit(limit + 1L).toList();
        if (list.size() <= limit) {
            return edge == null ? new Page<>(list, null) : new Page<>(list, cursor(edge, time, id), time.apply(edge));
        }
        return new Page<>(list.subList(0, limit), cursor(list.get(limit - 1), time, id));
    }

    private static <T> String cursor(T row, Function<T, Instant> time, Function<T, UUID> id) {
        String next = ChronoUnit.MICROS.between(Instant.EPOCH, time.apply(row)) + ":" + id.apply(row);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(next.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":", 2);
            if (parts.length != 2) {
                throw new IllegalArgumentException("invalid cursor");
            }
            return parts;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }

    private static boolean resourceMatches(String wanted, Resource r) {
        return wanted == null || wanted.isEmpty() || wanted.equals(r.id()) || wanted.equals(r.name());
    }

    private static boolean inRange(Instant t, Instant from, Instant to) {
        return (from == null || !t.isBefore(micros(from))) && (to == null || t.isBefore(micros(to)));
    }

    private static boolean textMatches(String wanted, String in) {
        return wanted == null || wanted.isEmpty()
                || in.toLowerCase(Locale.ROOT).contains(text(wanted).toLowerCase(Locale.ROOT));
    }

    // ---- the same normalization the JDBC store applies ------------------------------------------

    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }

    static String text(String s) {
        return s == null ? null : s.replace('\u0000', '\uFFFD');
    }

    private static Map<String, String> labels(Map<String, String> labels) {
        Map<String, String> out = new HashMap<>();
        labels.forEach((k, v) -> out.put(text(k), text(v)));
        return out;
    }

    private static Resource resource(Resource r) {
        return new Resource(text(r.kind()), text(r.id()), text(r.name()));
    }

    private static Event normalize(Event e) {
        return new Event(e.id(), e.tenantId(), e.sourceId(), e.source(), micros(e.receivedAt()), micros(e.occurredAt()),
                e.status(), e.severity(), text(e.sourceSeverity()), text(e.title()), text(e.summary()),
                resource(e.resource()), labels(e.labels()), text(e.fingerprint()), text(e.link()), text(e.rawPayload()),
                e.incidentId(), e.repeats(), micros(e.lastSeenAt()));
    }

    private static Incident normalize(Incident i) {
        return new Incident(i.id(), i.tenantId(), text(i.groupKey()), text(i.title()), i.severity(), i.status(),
                i.source(), resource(i.resource()), labels(i.labels()), micros(i.openedAt()), micros(i.lastEventAt()),
                micros(i.acknowledgedAt()), text(i.acknowledgedBy()), micros(i.resolvedAt()), text(i.resolvedBy()),
                i.eventCount(), i.alertCount(), i.firingCount());
    }
}
