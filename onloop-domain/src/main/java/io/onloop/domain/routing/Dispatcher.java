package io.onloop.domain.routing;

import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Alertmanager's aggregation groups: each alert is routed, put into one group per matching route
 * (keyed by the route and its {@code group_by} label values), and a group speaks at most once per
 * flush:
 * <ul>
 *   <li>first after {@code group_wait}, so alerts arriving together go out together;</li>
 *   <li>then every {@code group_interval}, only if its set of firing alerts changed or an alert it had
 *       announced resolved;</li>
 *   <li>unchanged, again only {@code repeat_interval} after the last notification was delivered;</li>
 *   <li>when every alert resolved and that was said, the group ends; a new alert starts a new one
 *       (a new thread).</li>
 * </ul>
 * Silences, inhibition and the route's time intervals are checked at flush time, as in
 * Alertmanager, so a silence created after an alert arrived still holds its notification.
 * Informational events are not routed: they add to an incident's timeline but report no problem.
 * <p>
 * Time is passed in, never read, so a replay can run an hour of traffic in a second. Not
 * thread-safe: one routing thread owns it; only {@link #firingAlerts} may be read from any thread, so that a dry
 * run does not wait for a flush that is writing to the outbox.
 */
public final class Dispatcher {

    /** What the dispatcher needs of a tenant at flush time. */
    public record TenantRules(RoutingConfig config, List<Silence> silences) {
    }

    private final Function<String, TenantRules> rules;
    private final GroupLog log;
    private final Map<String, Map<String, Group>> groups = new HashMap<>();
    /** Per tenant, the firing alerts' routing labels by fingerprint: the sources of inhibition. */
    private final Map<String, Map<String, Map<String, String>>> firing = new ConcurrentHashMap<>();

    public Dispatcher(Function<String, TenantRules> rules) {
        this(rules, GroupLog.NONE);
    }

    /** @param log consulted when a group forms, to continue what it said before a restart */
    public Dispatcher(Function<String, TenantRules> rules, GroupLog log) {
        this.rules = rules;
        this.log = log;
    }

    private static final class Group {
        /** As the route file has it now: a saved file's intervals and mute times apply to groups formed before it. */
        Route route;
        final Map<String, String> groupLabels;
        final String threadKey;
        final Map<String, AlertSnapshot> alerts = new LinkedHashMap<>();
        Set<String> sentFiring = Set.of();
        Instant nextFlush;
        /** When its last notification was written; once it is known to have been delivered, when it was. */
        Instant lastSent;
        int sequence;

        Group(Route route, Map<String, String> groupLabels, String threadKey, Instant nextFlush) {
            this.route = route;
            this.groupLabels = groupLabels;
            this.threadKey = threadKey;
            this.nextFlush = nextFlush;
        }
    }

    /** Routes one committed event into its groups. */
    public void accept(Event event, Instant now) {
        if (event.status() == EventStatus.INFORMATIONAL) {
            return;
        }
        String tenant = event.tenantId();
        Map<String, String> labels = RoutingLabels.of(event);
        boolean isFiring = event.status() == EventStatus.FIRING;
        RoutingConfig config = rules.apply(tenant).config(); // before any change: reading them may fail
        Map<String, Map<String, String>> tenantFiring = firing.computeIfAbsent(tenant, t -> new ConcurrentHashMap<>());
        if (isFiring) {
            tenantFiring.put(event.fingerprint(), labels);
        } else {
            tenantFiring.remove(event.fingerprint());
        }
        Map<String, Group> tenantGroups = groups.computeIfAbsent(tenant, t -> new HashMap<>());
        Set<String> routed = new HashSet<>();
        for (Route route : config.root().match(labels)) {
            Map<String, String> groupLabels = route.groupLabels(labels);
            String key = Notification.groupKey(route.key(), route.receiver(), groupLabels);
            routed.add(key);
            Group group = tenantGroups.get(key);
            if (group == null) {
                // A group that spoke before a restart and did not finish continues its thread.
                var past = lastSaid(tenant, key, route, groupLabels, event.fingerprint());
                if (!isFiring && past.map(e -> !e.firing().contains(event.fingerprint())).orElse(true)) {
                    continue; // nothing announced, nothing to resolve
                }
                group = new Group(route, groupLabels, past.map(GroupLog.Entry::threadKey)
                        .orElseGet(() -> threadKey(tenant, key, now)), now.plus(route.groupWait()));
                if (past.isPresent()) {
                    group.sequence = past.get().sequence();
                    group.sentFiring = past.get().firing();
                    group.lastSent = past.get().sentAt();
                }
                tenantGroups.put(key, group);
            }
            put(group, event, labels);
        }
        if (!isFiring) {
            // The route file changed since these groups took the alert (its routes no longer lead there): whoever was
            // told it fires is told it resolved, and the group stops repeating it.
            tenantGroups.forEach((key, group) -> {
                if (!routed.contains(key) && group.alerts.containsKey(event.fingerprint())) {
                    put(group, event, labels);
                }
            });
        }
    }

    /**
     * What the group last said, if it has not finished. Before groups were keyed by their route's matchers they were
     * keyed by its place in the tree ({@code root.0}): a group last logged that way, before an upgrade, is found there
     * for an alert it announced. Only for one it announced: that entry is never closed, and another route may come
     * to that place.
     */
    private Optional<GroupLog.Entry> lastSaid(String tenant, String key, Route route, Map<String, String> groupLabels,
                                              String fingerprint) {
        Optional<GroupLog.Entry> past = log.last(tenant, key);
        if (past.isEmpty()) {
            past = log.last(tenant, Notification.groupKey(route.id(), route.receiver(), groupLabels))
                    .filter(e -> e.firing().contains(fingerprint));
        }
        return past.filter(e -> !e.resolved());
    }

    private static void put(Group group, Event event, Map<String, String> labels) {
        AlertSnapshot previous = group.alerts.get(event.fingerprint());
        boolean resolve = event.status() == EventStatus.RESOLVED;
        // a resolve, or a repeat of a firing alert, belongs to the episode that began before
        boolean sameEpisode = previous != null && (previous.firing() || resolve);
        AlertSnapshot now = AlertSnapshot.of(event, labels, sameEpisode ? previous.startsAt() : null);
        if (previous != null && resolve) {
            // A resolve often carries no severity of its own (PagerDuty's, a generic one's default): the alert that
            // ended is the one that fired.
            now = now.withSeverity(previous.severity());
        }
        group.alerts.put(event.fingerprint(), now);
    }

    /** The earliest time a group is due to flush, if any group exists. */
    public Optional<Instant> nextFlush() {
        return groups.values().stream().flatMap(m -> m.values().stream()).map(g -> g.nextFlush)
                .min(Instant::compareTo);
    }

    /** Flushes every group that is due at {@code now}; returns what must be sent. */
    public List<Notification> flush(Instant now) {
        List<Notification> out = new ArrayList<>();
        flush(now, out::add);
        return out;
    }

    /**
     * Flushes every group that is due at {@code now}, handing each notification to {@code outbox}. As in
     * Alertmanager, whose notification log is written only after a send, a group's state moves on only once
     * {@code outbox} has taken its notification: if it throws, that group and those not reached yet stay due,
     * unchanged, and the exception propagates, so the caller's next flush says it again (newest state).
     * A tenant whose rules cannot be read keeps its groups due, and the others are flushed before that failure
     * is thrown: one tenant's broken rules do not hold back every tenant.
     */
    public void flush(Instant now, Consumer<Notification> outbox) {
        RuntimeException unreadRules = null;
        for (var tenantGroups : groups.entrySet()) {
            String tenant = tenantGroups.getKey();
            if (tenantGroups.getValue().values().stream().allMatch(g -> g.nextFlush.isAfter(now))) {
                continue;
            }
            TenantRules tenantRules;
            try {
                tenantRules = rules.apply(tenant);
            } catch (RuntimeException e) {
                if (unreadRules == null) {
                    unreadRules = e;
                } else {
                    unreadRules.addSuppressed(e);
                }
                continue;
            }
            Map<String, Map<String, String>> tenantFiring = firing.getOrDefault(tenant, Map.of());
            Map<String, Route> routes = tenantRules.config().root().flatten().stream()
                    .collect(Collectors.toMap(Route::key, r -> r, (first, second) -> first));
            var it = tenantGroups.getValue().values().iterator();
            while (it.hasNext()) {
                Group g = it.next();
                if (g.nextFlush.isAfter(now)) {
                    continue;
                }
                g.route = current(routes, g.route);
                Optional<Notification> said = flush(tenant, g, tenantRules, tenantFiring, now);
                if (said.isPresent()) {
                    Notification n = said.get();
                    outbox.accept(n);
                    g.sequence = n.sequence();
                    g.lastSent = now;
                    g.sentFiring = n.firing().stream().map(AlertSnapshot::fingerprint).collect(Collectors.toUnmodifiableSet());
                }
                // Resolved alerts have had their say (or were never announced): they leave the group.
                g.alerts.values().removeIf(a -> !a.firing());
                g.nextFlush = now.plus(g.route.groupInterval());
                if (g.alerts.isEmpty()) {
                    it.remove();
                }
            }
        }
        if (unreadRules != null) {
            throw unreadRules;
        }
    }

    /**
     * The route as the route file now has it, if it still has one with the same key (matchers), receiver and grouping
     * (else the group carries on as it was): Alertmanager, too, applies a reloaded file to the groups it already has.
     */
    private static Route current(Map<String, Route> routes, Route route) {
        return Optional.ofNullable(routes.get(route.key())).filter(r -> r.receiver().equals(route.receiver())
                && r.groupBy().equals(route.groupBy())
                && r.groupByAll() == route.groupByAll()).orElse(route);
    }

    /** What a due group has to say, without changing it (but for when its last notification was delivered, once known). */
    private Optional<Notification> flush(String tenant, Group g, TenantRules tenantRules,
                                         Map<String, Map<String, String>> tenantFiring, Instant now) {
        List<AlertSnapshot> firingNow = new ArrayList<>();
        List<AlertSnapshot> resolvedNow = new ArrayList<>();
        for (AlertSnapshot a : g.alerts.values()) {
            if (a.firing()) {
                if (Suppression.check(tenantRules.config(), tenantRules.silences(), tenantFiring, a.fingerprint(),
                        a.labels(), g.route, now).isEmpty()) {
                    firingNow.add(a);
                }
            } else if (g.sentFiring.contains(a.fingerprint())) {
                resolvedNow.add(a);
            }
        }
        Set<String> firingKeys = new HashSet<>();
        firingNow.forEach(a -> firingKeys.add(a.fingerprint()));
        boolean changed = !firingKeys.equals(g.sentFiring) || !resolvedNow.isEmpty();
        boolean repeatDue = !firingNow.isEmpty() && g.lastSent != null && !changed && repeatDue(tenant, g, now);
        if ((firingNow.isEmpty() && resolvedNow.isEmpty()) || !(changed || repeatDue)) {
            return Optional.empty();
        }
        return Optional.of(new Notification(tenant, g.route.receiver(), g.route.key(), g.groupLabels, g.threadKey,
                g.sequence + 1, firingNow.isEmpty() ? Notification.Status.RESOLVED : Notification.Status.FIRING,
                firingNow, resolvedNow, now, ""));
    }

    /**
     * An unchanged group says it again {@code repeat_interval} after its last notification was delivered (written, on
     * the clock alone; then asked of the log, once it is settled, and remembered as the group's {@code lastSent}), and
     * not while that one is still on its way: after a receiver's outage it would follow it out at once, the same
     * message twice. If the log cannot say, the repeat goes out.
     */
    private boolean repeatDue(String tenant, Group g, Instant now) {
        if (now.isBefore(g.lastSent.plus(g.route.repeatInterval()))) {
            return false;
        }
        Optional<Instant> settled;
        try {
            settled = log.settledAt(tenant, g.threadKey, g.sequence, g.lastSent);
        } catch (RuntimeException e) {
            settled = Optional.of(g.lastSent);
        }
        if (settled.isEmpty()) {
            return false;
        }
        // settled for good: later flushes count from here on the clock alone, without asking the log again
        g.lastSent = settled.get();
        return !now.isBefore(g.lastSent.plus(g.route.repeatInterval()));
    }

    /** Firing alerts currently known for a tenant (fingerprint to routing labels), for dry runs. */
    public Map<String, Map<String, String>> firingAlerts(String tenant) {
        return Map.copyOf(firing.getOrDefault(tenant, Map.of()));
    }

    public int groupCount() {
        return groups.values().stream().mapToInt(Map::size).sum();
    }

    private static String threadKey(String tenant, String groupKey, Instant start) {
        return UUID.nameUUIDFromBytes((tenant + "\n" + groupKey + "\n" + start.toEpochMilli())
                .getBytes(StandardCharsets.UTF_8)).toString();
    }
}
