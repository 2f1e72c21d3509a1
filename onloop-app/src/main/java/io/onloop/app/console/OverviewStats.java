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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The overview's figures. Open incidents are counted by the store, exactly, and the most severe ones read a severity
 * at a time, highest first, so a flood of newer low-severity incidents never hides a critical one and costs one
 * count and a few short pages per refresh. Events are counted from the newest {@link #MAX_SCANNED} of the last 24
 * hours, and the page says so when that limit was reached instead of showing a lower number as if it were complete.
 */
public record OverviewStats(Map<Severity, Integer> openBySeverity,
                     List<Instant> hours, List<Integer> eventsPerHour, int eventsScanned, boolean eventsCapped,
                     Instant countedSince, List<Count> noisiestSources, List<Count> noisiestResources,
                     List<Incident> latestOpen) {
    static final int MOST_SEVERE = 10;
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
        Map<Severity, Integer> bySeverity = store.countOpenIncidents(tenantId);
        // Within a severity the newest opened are read; the list then shows the most recently active first.
        List<Incident> mostSevere = new ArrayList<>();
        for (Severity s : Severity.values()) { // most severe first
            if (mostSevere.size() < MOST_SEVERE && bySeverity.get(s) > 0) {
                mostSevere.addAll(store.findIncidents(openIncidents(tenantId, s, MOST_SEVERE - mostSevere.size())).items());
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
        return new OverviewStats(bySeverity, hours, counts, scanned, eventsCapped, eventsCapped ? oldestSeen : firstHour, top(sources), top(resources),
                mostSevere.stream().sorted(MOST_SEVERE_FIRST).toList());
    }

    public int openTotal() {
        return openBySeverity.values().stream().mapToInt(Integer::intValue).sum();
    }

    private static IncidentQuery openIncidents(String tenantId, Severity severity, int limit) {
        return new IncidentQuery(tenantId, Set.of(IncidentStatus.OPEN, IncidentStatus.ACKNOWLEDGED), Set.of(severity), null,
                null, null, null, null, null, limit, null);
    }

    private static List<Count> top(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP).map(e -> new Count(e.getKey(), e.getValue())).toList();
    }
}
