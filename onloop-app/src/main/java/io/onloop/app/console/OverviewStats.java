package io.onloop.app.console;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.Severity;
import io.onloop.domain.incident.Incident;
import io.onloop.domain.incident.IncidentStatus;
import io.onloop.domain.store.EventQuery;
import io.onloop.domain.store.EventStore;
import io.onloop.domain.store.IncidentQuery;
import io.onloop.domain.store.Page;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The overview's figures, read through the store's ordinary queries. Counting is bounded: at most
 * {@link #MAX_OPEN} open incidents of each severity and the newest {@link #MAX_SCANNED} events of the last 24
 * hours are read, and the page says so when a limit was reached instead of showing a lower number as if it were
 * complete. When more than {@link #MAX_OPEN} incidents are open, each severity is read on its own, so that a flood
 * of newer low-severity incidents never hides the critical ones from the counts or from the most severe list.
 */
public record OverviewStats(Map<Severity, Integer> openBySeverity, Set<Severity> cappedSeverities, int openTotal,
                     List<Instant> hours, List<Integer> eventsPerHour, int eventsScanned, boolean eventsCapped,
                     Instant countedSince, List<Count> noisiestSources, List<Count> noisiestResources,
                     List<Incident> latestOpen) {
    static final int MAX_OPEN = 500;
    static final int MAX_SCANNED = 5_000;
    static final Duration WINDOW = Duration.ofHours(24);
    private static final int TOP = 5;
    private static final Comparator<Incident> MOST_SEVERE_FIRST = Comparator
            .comparing((Incident i) -> i.severity().rank()).reversed()
            .thenComparing(Incident::lastEventAt, Comparator.reverseOrder());

    public record Count(String name, int count) {
    }

    static OverviewStats read(EventStore store, String tenantId, Clock clock) {
        Instant now = clock.instant();
        Map<Severity, Integer> bySeverity = new EnumMap<>(Severity.class);
        Set<Severity> capped = EnumSet.noneOf(Severity.class);
        Page<Incident> all = store.findIncidents(openIncidents(tenantId, Set.of()));
        List<Incident> open = new ArrayList<>(all.items());
        if (all.nextCursor() == null) {
            for (Severity s : Severity.values()) {
                bySeverity.put(s, (int) open.stream().filter(i -> i.severity() == s).count());
            }
        } else {
            // More than one page is open: each severity is read on its own, or newer incidents hide older critical ones.
            open.clear();
            for (Severity s : Severity.values()) {
                Page<Incident> page = store.findIncidents(openIncidents(tenantId, Set.of(s)));
                bySeverity.put(s, page.items().size());
                if (page.nextCursor() != null) {
                    capped.add(s);
                }
                open.addAll(page.items());
            }
        }

        Instant firstHour = now.truncatedTo(ChronoUnit.HOURS).minus(WINDOW).plus(Duration.ofHours(1));
        int hourCount = (int) WINDOW.toHours();
        int[] perHour = new int[hourCount];
        Map<String, Integer> sources = new HashMap<>();
        Map<String, Integer> resources = new HashMap<>();
        int scanned = 0;
        Instant oldestSeen = now;
        String cursor = null;
        do {
            Page<Event> page = store.findEvents(new EventQuery(tenantId, null, null, null, null, null, firstHour,
                    null, null, null, 500, cursor));
            for (Event e : page.items()) {
                int hour = (int) Duration.between(firstHour, e.receivedAt()).toHours();
                if (hour >= 0 && hour < hourCount) {
                    perHour[hour]++;
                }
                // noise is every arrival: an event plus the unchanged repeats counted on it
                sources.merge(e.source().id(), 1 + e.repeats(), Integer::sum);
                if (e.resource().isKnown()) {
                    resources.merge(e.resource().name(), 1 + e.repeats(), Integer::sum);
                }
                oldestSeen = e.receivedAt().isBefore(oldestSeen) ? e.receivedAt() : oldestSeen;
                scanned++;
            }
            cursor = page.nextCursor();
        } while (cursor != null && scanned < MAX_SCANNED);

        List<Instant> hours = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (int h = 0; h < hourCount; h++) {
            hours.add(firstHour.plus(Duration.ofHours(h)));
            counts.add(perHour[h]);
        }
        boolean eventsCapped = cursor != null;
        return new OverviewStats(bySeverity, capped, open.size(), hours, counts, scanned, eventsCapped,
                eventsCapped ? oldestSeen : firstHour, top(sources), top(resources),
                open.stream().sorted(MOST_SEVERE_FIRST).limit(10).toList());
    }

    private static IncidentQuery openIncidents(String tenantId, Set<Severity> severities) {
        return new IncidentQuery(tenantId, Set.of(IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED), severities, null,
                null, null, null, null, null, MAX_OPEN, null);
    }

    private static List<Count> top(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(e -> new Count(e.getKey(), e.getValue())).toList();
    }
}
