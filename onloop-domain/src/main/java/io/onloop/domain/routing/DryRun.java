package io.onloop.domain.routing;

import io.onloop.domain.event.Event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where an event would go and why: the trace of the route tree walk, then for each route it stops
 * at, the receiver, its targets, the group, and what (if anything) would keep it quiet now.
 */
public record DryRun(Map<String, String> labels, List<String> trace, List<Match> matches) {

    public record Match(String routeId, String receiver, List<String> targets, Map<String, String> groupLabels,
                        String groupKey, Suppression suppressedBy) {
    }

    public static DryRun of(Event event, RoutingConfig config, List<Silence> silences,
                            Map<String, Map<String, String>> firing, Instant now) {
        Map<String, String> labels = RoutingLabels.of(event);
        if (event.status() == io.onloop.domain.event.EventStatus.INFORMATIONAL) {
            return new DryRun(labels, List.of("not routed: an informational event is recorded, and shown in the open"
                    + " incident of its alert if there is one, but never notified"), List.of());
        }
        List<String> trace = new ArrayList<>();
        walk(config.root(), labels, trace);
        List<Match> matches = new ArrayList<>();
        for (Route r : config.root().match(labels)) {
            Receiver receiver = config.receivers().get(r.receiver());
            List<String> targets = receiver == null ? List.of()
                    : receiver.targets().stream().map(t -> t.type() + ":" + t.name()).toList();
            Map<String, String> group = r.groupLabels(labels);
            Optional<Suppression> s = event.status() == io.onloop.domain.event.EventStatus.FIRING
                    ? Suppression.check(config, silences, firing, event.fingerprint(), labels, r, now)
                    : firing.containsKey(event.fingerprint()) ? Optional.empty()
                    : Optional.of(new Suppression(Suppression.Kind.NOTHING_TO_RESOLVE, event.fingerprint(),
                    "this alert is not firing now, so no group has announced it: its resolve would send nothing"));
            matches.add(new Match(r.id(), r.receiver(), targets, group, r.key() + ":" + group, s.orElse(null)));
        }
        return new DryRun(labels, trace, matches);
    }

    private static void walk(Route route, Map<String, String> labels, List<String> trace) {
        boolean childMatched = false;
        for (Route child : route.routes()) {
            List<String> failed = child.matchers().stream().filter(m -> !m.matches(labels)).map(Matcher::toString)
                    .toList();
            if (!failed.isEmpty()) {
                trace.add(child.id() + ": no match, " + String.join(", ", failed) + " does not hold");
                continue;
            }
            childMatched = true;
            trace.add(child.id() + ": matched " + child.matchers() + (child.cont() ? ", continue" : ", stop"));
            walk(child, labels, trace);
            if (!child.cont()) {
                break;
            }
        }
        if (!childMatched) {
            trace.add(route.id() + ": selected, receiver " + route.receiver());
        }
    }
}
