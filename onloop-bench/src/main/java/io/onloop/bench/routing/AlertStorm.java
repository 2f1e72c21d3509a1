package io.onloop.bench.routing;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded alert storm over one simulated hour: distinct problems from several sources, each
 * fanning out to many related alerts (one per affected instance) that join over a few minutes,
 * are re-sent while firing (as Prometheus and most monitors do), some flapping, and all resolving
 * before the hour ends. Every alert carries a {@code problem} label so coverage can be checked.
 */
final class AlertStorm {
    static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
    static final int HOUR = 3600;

    record Timed(int second, Event event) {
    }

    record Problem(String id, String alertname, String service, Severity severity, SourceType source, int fanout,
                   int start, int end, int repeatEvery, boolean flapping) {
    }

    private static final String[] ALERTS = {"HighLatency", "ErrorRateHigh", "PodCrashLooping", "DiskFilling",
            "TargetDown", "QueueBacklog", "HighCPU", "NodeNotReady", "CertExpiring", "HighMemory", "5xxSpike",
            "ReplicationLag"};
    private static final String[] SERVICES = {"checkout", "payments", "search", "catalog", "auth", "orders"};
    private static final SourceType[] SOURCES = {SourceType.ALERTMANAGER, SourceType.SNS, SourceType.DATADOG,
            SourceType.GRAFANA, SourceType.KUBERNETES, SourceType.AZURE_MONITOR};

    final List<Problem> problems = new ArrayList<>();
    final List<Timed> events = new ArrayList<>();

    AlertStorm(long seed, int problemCount) {
        Random r = new Random(seed);
        for (int p = 0; p < problemCount; p++) {
            int start = r.nextInt(HOUR - 1500);
            int end = start + 300 + r.nextInt(1200);
            Severity sev = new Severity[]{Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM}[r.nextInt(3)];
            problems.add(new Problem("p" + p, ALERTS[p % ALERTS.length], SERVICES[r.nextInt(SERVICES.length)], sev,
                    SOURCES[p % SOURCES.length], 5 + r.nextInt(56), start, end, 15 + 15 * r.nextInt(4),
                    p % 4 == 1));
        }
        for (Problem p : problems) {
            for (int i = 0; i < p.fanout(); i++) {
                String instance = p.service() + "-" + i;
                int joins = p.start() + r.nextInt(240); // related alerts trickle in over four minutes
                boolean firing = false;
                int nextFlip = joins + 60 + r.nextInt(120);
                for (int t = joins; t < p.end(); t += p.repeatEvery()) {
                    boolean shouldFire = !p.flapping() || t < nextFlip || ((t - nextFlip) / 90) % 2 == 1;
                    if (shouldFire || firing) {
                        events.add(new Timed(t, event(p, instance, shouldFire ? EventStatus.FIRING : EventStatus.RESOLVED,
                                t)));
                    }
                    firing = shouldFire;
                }
                if (firing) {
                    events.add(new Timed(p.end(), event(p, instance, EventStatus.RESOLVED, p.end())));
                }
            }
        }
        events.sort(Comparator.comparingInt(Timed::second));
    }

    private static Event event(Problem p, String instance, EventStatus status, int second) {
        Instant at = START.plusSeconds(second);
        Map<String, String> labels = Map.of("alertname", p.alertname(), "service", p.service(), "instance", instance,
                "problem", p.id(), "environment", "prod");
        return new Event(Ids.newId(at), "bench", null, p.source(), at, at, status, p.severity(), "",
                p.alertname() + " on " + p.service(), "", Resource.of("host", instance), labels,
                p.id() + "/" + instance, "", "", null);
    }
}
