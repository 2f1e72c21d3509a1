package io.onloop.domain.store;

import io.onloop.domain.audit.AuditEntry;
import io.onloop.domain.audit.AuditQuery;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.Severity;
import io.onloop.domain.incident.AlertState;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.TimelineEntry;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Port: events, incidents, their timelines and the audit log. Writes happen only inside
 * {@link #inTransaction}, so an event, the incident it changes and the timeline line it adds are
 * committed together or not at all. Every read is scoped to one tenant.
 */
public interface EventStore {

    /**
     * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws,
     * except for {@link NotDurableException}, which says it committed but is not on the disk yet.
     */
    <T> T inTransaction(Function<Transaction, T> work);

    /**
     * As {@link #inTransaction}, but the commit may reach the disk only at the next {@link #force()}: for work that
     * can be redone after a crash (the ingest applier's, from its journal). Forcing seldom lets a store that writes
     * a file per commit (embedded H2) write one for many transactions. A store whose every commit is on the disk
     * when it returns needs nothing more.
     */
    default <T> T inTransactionForcedLater(Function<Transaction, T> work) {
        return inTransaction(work);
    }

    /** Puts every committed transaction on the disk, or throws {@link NotDurableException}. */
    default void force() {
    }

    /** The event with this id, or the event it repeated if it was an unchanged repeat; with its repeats counted. */
    Optional<Event> findEvent(String tenantId, UUID id);

    Page<Event> findEvents(EventQuery query);

    Optional<Incident> findIncident(String tenantId, UUID id);

    Page<Incident> findIncidents(IncidentQuery query);

    /** The tenant's open and acknowledged incidents counted by severity; every severity is a key, zero if none. */
    Map<Severity, Integer> countOpenIncidents(String tenantId);

    /**
     * The alerts firing in the tenant's open incidents, by fingerprint: what the stages that keep their state in
     * memory (routing's groups, the anomaly watcher's episodes) take up again after a restart.
     */
    List<FiringAlert> firingAlerts(String tenantId);

    /** Oldest first. */
    List<TimelineEntry> timeline(String tenantId, UUID incidentId);

    /** Newest first; {@code cursor} as for {@link Page}. */
    Page<AuditEntry> auditLog(AuditQuery query, int limit, String cursor);

    /** The whole log, newest first. */
    default Page<AuditEntry> auditLog(String tenantId, int limit, String cursor) {
        return auditLog(AuditQuery.all(tenantId), limit, cursor);
    }

    /** How far the ingest journal with this id has been applied (0 for a journal never seen). */
    long journalCheckpoint(String journalId);

    /** The writes and the locking reads of one transaction. */
    interface Transaction {

        void insertEvent(Event event);

        void insertIncident(Incident incident);

        void updateIncident(Incident incident);

        /** Reads and locks the incident for the rest of the transaction. */
        Optional<Incident> lockIncident(String tenantId, UUID id);

        /**
         * A hint before a batch is grouped: these fingerprints are about to be looked up. A store may
         * read (and lock) their open incidents in one round trip instead of one per event.
         */
        default void prefetchOpenIncidents(String tenantId, Collection<String> fingerprints) {
        }

        /** The not-yet-resolved incident holding this fingerprint, locked. */
        Optional<Incident> openIncidentWithFingerprint(String tenantId, String fingerprint);

        /** The not-yet-resolved incident with this group key, locked. */
        Optional<Incident> openIncidentWithGroupKey(String tenantId, String groupKey);

        /** The fingerprint's latest state in that incident; empty if the incident never saw it. */
        Optional<AlertState> alert(String tenantId, UUID incidentId, String fingerprint);

        /**
         * Records the fingerprint's latest state within the incident, one this transaction found or made in the
         * tenant (a store may write it by the incident's id alone).
         */
        void putAlert(String tenantId, UUID incidentId, String fingerprint, AlertState state);

        /**
         * The latest time, by its sender's clock, at which a resolve said this alert's episode ended (whether or not it
         * found an open incident); empty if none did since retention last pruned it.
         */
        Optional<Instant> episodeEnded(String tenantId, String fingerprint);

        /** Records that a resolve ended the alert's episode at {@code at} by its sender's clock; the latest is kept. */
        void recordEpisodeEnd(String tenantId, String fingerprint, Instant at);

        /**
         * Records an unchanged repeat of a stored event without storing it as an event of its own: its
         * id is kept so that looking it up finds {@code repeatedEventId}. Its count lives in the alert's
         * state until {@link #finishRepeats} writes it onto the event.
         */
        void recordRepeat(Event repeat, UUID repeatedEventId);

        /**
         * The alert moved on from this event: writes the count and time of its repeats onto it. {@code eventId} is
         * an event of {@code tenantId}, taken from the alert's state; a store may write it by its id alone.
         */
        void finishRepeats(String tenantId, UUID eventId, int repeats, Instant lastSeenAt);

        void appendTimeline(TimelineEntry entry);

        void appendAudit(AuditEntry entry);

        /** Records, with this transaction's writes, that the journal is applied up to {@code position}. */
        void setJournalCheckpoint(String journalId, long position);

        /**
         * Retention: deletes up to {@code limit} of the tenant's incidents resolved before {@code cutoff}, each with
         * everything that is its own (events, alert states, labels, timeline; in a database, its recipe), then up to
         * {@code limit} of its events received before {@code cutoff} that belong to no incident, then the lookups
         * of unchanged repeats whose event is gone. An open incident, or one resolved since the cutoff, keeps all
         * its events however old they are. Incidents in the order they opened, events in the order they arrived, so
         * calling it again continues where it stopped. At most {@code limit} of each kind (incidents, events in no
         * incident, repeat lookups) per call, and at most {@link Pruned#eventBudget} events of incidents: an incident
         * with more loses that many and goes with a later call. The incidents it deletes are locked first. Also up to
         * {@code limit} of the tenant's {@link #episodeEnded episode ends} from before the cutoff.
         */
        Pruned prune(String tenantId, Instant cutoff, int limit);
    }
}
