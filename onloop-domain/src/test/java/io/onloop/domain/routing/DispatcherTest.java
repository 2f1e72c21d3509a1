package io.onloop.domain.routing;

import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static io.onloop.domain.routing.Alerts.T0;
import static io.onloop.domain.routing.Alerts.firing;
import static io.onloop.domain.routing.Alerts.resolved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DispatcherTest {
    private RoutingConfig config = new RoutingConfig(
            Alerts.route("root", "ops", List.of(), false, List.of("alertname"), List.of()),
            Map.of("ops", new Receiver("ops", List.of())), List.of(), Map.of());
    private final List<Silence> silences = new ArrayList<>();
    private final Dispatcher dispatcher = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences));

    private static Map<String, String> labels(String alertname, String instance) {
        return Map.of("alertname", alertname, "instance", instance);
    }

    private List<Notification> at(Duration offset) {
        return dispatcher.flush(T0.plus(offset));
    }

    @Test
    void aStormOfRelatedAlertsBecomesOneNotificationAfterGroupWait() {
        for (int i = 0; i < 100; i++) {
            dispatcher.accept(firing("fp" + i, Severity.HIGH, labels("HighLatency", "web-" + i), T0.plusMillis(i)),
                    T0.plusMillis(i));
        }
        assertThat(at(Duration.ofSeconds(29))).isEmpty();
        List<Notification> sent = at(Duration.ofSeconds(30));
        assertThat(sent).hasSize(1);
        Notification n = sent.getFirst();
        assertThat(n.firing()).hasSize(100);
        assertThat(n.groupLabels()).isEqualTo(Map.of("alertname", "HighLatency"));
        assertThat(n.isFirst()).isTrue();
        assertThat(n.status()).isEqualTo(Notification.Status.FIRING);
        assertThat(n.title()).isEqualTo("HighLatency (+99 more)");
        // repeats of the same alerts change nothing: silence until repeat_interval
        for (int i = 0; i < 100; i++) {
            dispatcher.accept(firing("fp" + i, Severity.HIGH, labels("HighLatency", "web-" + i), T0.plusSeconds(60)),
                    T0.plusSeconds(60));
        }
        assertThat(at(Duration.ofSeconds(30 + 300))).isEmpty();
        assertThat(at(Duration.ofSeconds(30 + 600))).isEmpty();
    }

    @Test
    void aNewAlertUpdatesTheSameThreadAtTheNextGroupInterval() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        Notification first = at(Duration.ofSeconds(30)).getFirst();
        dispatcher.accept(firing("b", Severity.CRITICAL, labels("Disk", "h2"), T0.plusSeconds(40)), T0.plusSeconds(40));
        assertThat(at(Duration.ofSeconds(200))).as("not before group_interval").isEmpty();
        Notification update = at(Duration.ofSeconds(330)).getFirst();
        assertThat(update.threadKey()).isEqualTo(first.threadKey());
        assertThat(update.sequence()).isEqualTo(2);
        assertThat(update.firing()).extracting(AlertSnapshot::fingerprint).containsExactly("a", "b");
        assertThat(update.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(update.dedupKey()).isNotEqualTo(first.dedupKey());
    }

    /** A maintenance window or a longer repeat_interval saved during a storm applies to the groups already formed. */
    @Test
    void aSavedRouteFileAppliesToGroupsFormedBeforeIt() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        assertThat(at(Duration.ofSeconds(30))).hasSize(1);
        config = new RoutingConfig(new Route("root", Route.ROOT_KEY, "ops", List.of(), false, List.of("alertname"), false,
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(24), List.of(), List.of(), List.of()),
                Map.of("ops", new Receiver("ops", List.of())), List.of(), Map.of());
        for (Duration t = Duration.ofSeconds(330); t.compareTo(Duration.ofHours(8)) < 0; t = t.plusMinutes(5)) {
            assertThat(at(t)).as("repeat_interval is 24 h now, not 4 h; at %s", t).isEmpty();
        }
        TimeInterval always = new TimeInterval("always", List.of(new TimeInterval.Spec(List.of(), List.of(), List.of(),
                List.of(), List.of(), ZoneOffset.UTC)));
        dispatcher.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), T0.plus(Duration.ofHours(8))), T0.plus(Duration.ofHours(8)));
        config = new RoutingConfig(new Route("root", Route.ROOT_KEY, "ops", List.of(), false, List.of("alertname"), false,
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(24), List.of("always"), List.of(),
                List.of()), Map.of("ops", new Receiver("ops", List.of())), List.of(), Map.of("always", always));
        assertThat(at(Duration.ofHours(8).plusMinutes(10))).as("the route is muted now: a new alert is not said").isEmpty();
    }

    /** A route inserted above the group's route: the group follows its own route, found by its matchers. */
    @Test
    void aGroupFollowsItsRouteWhenARouteIsInsertedAboveIt() {
        config = teams(team("root.0", "db", Duration.ofHours(24)));
        dispatcher.accept(firing("a", Severity.HIGH, Map.of("alertname", "Disk", "team", "db"), T0), T0);
        assertThat(at(Duration.ofSeconds(30))).hasSize(1);
        config = teams(team("root.0", "cache", Duration.ofHours(24)), team("root.1", "db", Duration.ofHours(1)));
        assertThat(at(Duration.ofMinutes(55))).isEmpty();
        assertThat(at(Duration.ofMinutes(60).plusSeconds(30))).as("the db route's new repeat_interval, 1 h")
                .singleElement().satisfies(n -> assertThat(n.sequence()).isEqualTo(2));
    }

    /**
     * A route inserted above the group's route, then a restart: the group is found in the log by its route's
     * matchers, so its open alert continues its thread, and its resolve reaches that thread.
     */
    @Test
    void afterARouteIsInsertedAboveAndARestartAGroupContinuesItsThread() {
        Map<String, GroupLog.Entry> log = new java.util.HashMap<>();
        config = teams(team("root.0", "db", Duration.ofHours(4)));
        Map<String, String> disk = Map.of("alertname", "Disk", "team", "db");
        dispatcher.accept(firing("a", Severity.HIGH, disk, T0), T0);
        Notification first = at(Duration.ofSeconds(30)).getFirst();
        log.put(first.groupKey(), first.logEntry());

        config = teams(team("root.0", "cache", Duration.ofHours(4)), team("root.1", "db", Duration.ofHours(4)));
        Dispatcher restarted = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences),
                (tenant, key) -> java.util.Optional.ofNullable(log.get(key)));
        Instant later = T0.plusSeconds(600);
        restarted.accept(firing("a", Severity.HIGH, disk, later), later);
        assertThat(restarted.flush(later.plusSeconds(30))).as("not announced again").isEmpty();
        restarted.accept(resolved("a", Severity.HIGH, disk, later.plusSeconds(40)), later.plusSeconds(40));
        Notification done = restarted.flush(later.plusSeconds(330)).getFirst();
        assertThat(done.threadKey()).isEqualTo(first.threadKey());
        assertThat(done.sequence()).isEqualTo(2);
        assertThat(done.status()).isEqualTo(Notification.Status.RESOLVED);
    }

    /** A group last logged before groups were keyed by matchers (by its route's place, {@code root.0}) is found. */
    @Test
    void aGroupLoggedUnderItsRoutesPlaceBeforeAnUpgradeContinuesItsThread() {
        config = teams(team("root.0", "db", Duration.ofHours(4)));
        String placeKey = Notification.groupKey("root.0", "ops", Map.of("alertname", "Disk"));
        GroupLog.Entry before = new GroupLog.Entry("t1", placeKey, "thread-1", 3, java.util.Set.of("a"), T0, false);
        Dispatcher upgraded = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences),
                (tenant, key) -> java.util.Optional.ofNullable(key.equals(placeKey) ? before : null));
        upgraded.accept(resolved("a", Severity.HIGH, Map.of("alertname", "Disk", "team", "db"), T0), T0);
        Notification done = upgraded.flush(T0.plusSeconds(30)).getFirst();
        assertThat(done.threadKey()).isEqualTo("thread-1");
        assertThat(done.sequence()).isEqualTo(4);
        assertThat(done.groupKey()).as("logged from now on by matchers").isNotEqualTo(placeKey);

        // that entry is never closed: an alert it did not announce, of another route now at that place, starts anew
        config = teams(team("root.0", "web", Duration.ofHours(4)), team("root.1", "db", Duration.ofHours(4)));
        upgraded.accept(firing("w", Severity.HIGH, Map.of("alertname", "Disk", "team", "web"), T0.plusSeconds(60)),
                T0.plusSeconds(60));
        Notification web = upgraded.flush(T0.plusSeconds(90)).getFirst();
        assertThat(web.threadKey()).isNotEqualTo("thread-1");
        assertThat(web.sequence()).isEqualTo(1);
    }

    private static RoutingConfig teams(Route... routes) {
        return new RoutingConfig(new Route("root", Route.ROOT_KEY, "ops", List.of(), false, List.of(), false,
                Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(4), List.of(), List.of(), List.of(routes)),
                Map.of("ops", new Receiver("ops", List.of())), List.of(), Map.of());
    }

    private static Route team(String id, String team, Duration repeatInterval) {
        List<Matcher> matchers = List.of(Matcher.equal("team", team));
        return new Route(id, Route.childKey(Route.ROOT_KEY, matchers, List.of()), "ops", matchers, false, List.of("alertname"), false,
                Duration.ofSeconds(30), Duration.ofMinutes(5), repeatInterval, List.of(), List.of(), List.of());
    }

    @Test
    void unchangedGroupsRepeatOnlyAfterRepeatInterval() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        assertThat(at(Duration.ofSeconds(30))).hasSize(1);
        int sent = 0;
        for (Duration t = Duration.ofSeconds(330); t.compareTo(Duration.ofHours(4)) < 0; t = t.plusMinutes(5)) {
            sent += at(t).size();
        }
        assertThat(sent).isZero();
        // the flush after 4h since the last send repeats it
        List<Notification> repeat = at(Duration.ofSeconds(30).plusHours(4).plusMinutes(5));
        assertThat(repeat).hasSize(1);
        assertThat(repeat.getFirst().sequence()).isEqualTo(2);
    }

    @Test
    void aRepeatCountsFromWhenTheLastNotificationWasDeliveredAndWaitsWhileItIsOnItsWay() {
        // the first notification's target fails until 5 hours in, then takes it
        Instant delivered = T0.plus(Duration.ofHours(5));
        java.util.concurrent.atomic.AtomicReference<Instant> now = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Dispatcher d = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences), new GroupLog() {
            @Override
            public Optional<GroupLog.Entry> last(String tenantId, String groupKey) {
                return Optional.empty();
            }

            @Override
            public Optional<Instant> settledAt(String tenantId, String threadKey, int sequence, Instant writtenAt) {
                asked.incrementAndGet();
                return now.get().isBefore(delivered) ? Optional.empty() : Optional.of(delivered);
            }
        });
        d.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        assertThat(d.flush(T0.plusSeconds(30))).hasSize(1);
        int sent = 0;
        for (Duration t = Duration.ofSeconds(330); t.compareTo(Duration.ofHours(9)) < 0; t = t.plusMinutes(5)) {
            now.set(T0.plus(t));
            sent += d.flush(T0.plus(t)).size();
        }
        assertThat(sent).as("not behind the one still retrying, nor at 5 h, when it got through").isZero();
        now.set(T0.plus(Duration.ofHours(9).plusMinutes(5)));
        assertThat(d.flush(now.get())).as("the flush 4 h after it was delivered").hasSize(1);
        // asked at each flush from 4 h (written + repeat_interval) to the first after 5 h, which found it delivered (13);
        // from then on the clock alone waits, and the log is asked once more when the repeat falls due
        assertThat(asked.get()).isEqualTo(14);
    }

    /** A PagerDuty resolve has no severity and a generic one defaults to medium: it ends a critical alert. */
    @Test
    void aResolveIsSaidWithTheSeverityTheAlertFiredWith() {
        dispatcher.accept(firing("a", Severity.CRITICAL, labels("Disk", "h1"), T0), T0);
        assertThat(at(Duration.ofSeconds(30))).singleElement()
                .satisfies(n -> assertThat(n.severity()).isEqualTo(Severity.CRITICAL));
        dispatcher.accept(resolved("a", Severity.MEDIUM, labels("Disk", "h1"), T0.plusSeconds(60)), T0.plusSeconds(60));
        Notification done = at(Duration.ofSeconds(330)).getFirst();
        assertThat(done.status()).isEqualTo(Notification.Status.RESOLVED);
        assertThat(done.resolved()).singleElement().satisfies(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));
        assertThat(done.severity()).isEqualTo(Severity.CRITICAL);
    }

    @Test
    void resolvingEveryAlertSendsResolvedAndTheNextProblemStartsANewThread() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        dispatcher.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), T0), T0);
        Notification first = at(Duration.ofSeconds(30)).getFirst();
        dispatcher.accept(resolved("a", Severity.HIGH, labels("Disk", "h1"), T0.plusSeconds(60)), T0.plusSeconds(60));
        Notification partly = at(Duration.ofSeconds(330)).getFirst();
        assertThat(partly.status()).isEqualTo(Notification.Status.FIRING);
        assertThat(partly.resolved()).extracting(AlertSnapshot::fingerprint).containsExactly("a");
        assertThat(partly.firing()).extracting(AlertSnapshot::fingerprint).containsExactly("b");
        dispatcher.accept(resolved("b", Severity.HIGH, labels("Disk", "h2"), T0.plusSeconds(400)), T0.plusSeconds(400));
        Notification done = at(Duration.ofSeconds(630)).getFirst();
        assertThat(done.status()).isEqualTo(Notification.Status.RESOLVED);
        assertThat(done.threadKey()).isEqualTo(first.threadKey());
        assertThat(done.resolved().getFirst().endsAt()).isNotNull();
        assertThat(dispatcher.groupCount()).isZero();

        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0.plusSeconds(700)), T0.plusSeconds(700));
        Notification again = at(Duration.ofSeconds(730)).getFirst();
        assertThat(again.threadKey()).isNotEqualTo(first.threadKey());
        assertThat(again.isFirst()).isTrue();
    }

    @Test
    void flappingWithinGroupWaitIsOneNotificationAndAResolveOfSomethingUnannouncedIsNone() {
        for (int i = 0; i < 10; i++) {
            Instant t = T0.plusSeconds(i * 2L);
            dispatcher.accept(i % 2 == 0 ? firing("a", Severity.HIGH, labels("Flap", "h"), t)
                    : resolved("a", Severity.HIGH, labels("Flap", "h"), t), t);
        }
        dispatcher.accept(firing("a", Severity.HIGH, labels("Flap", "h"), T0.plusSeconds(25)), T0.plusSeconds(25));
        assertThat(at(Duration.ofSeconds(30))).hasSize(1);
        dispatcher.accept(resolved("zzz", Severity.HIGH, labels("Other", "h"), T0.plusSeconds(31)), T0.plusSeconds(31));
        assertThat(dispatcher.groupCount()).isEqualTo(1);
    }

    @Test
    void aResolveOfAnAlertThatWasNeverAnnouncedSaysNothing() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        dispatcher.accept(resolved("a", Severity.HIGH, labels("Disk", "h1"), T0.plusSeconds(5)), T0.plusSeconds(5));
        assertThat(at(Duration.ofSeconds(30))).isEmpty();
        assertThat(dispatcher.groupCount()).isZero();
    }

    @Test
    void silencesAreCheckedAtFlushTime() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        dispatcher.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), T0), T0);
        silences.add(new Silence(UUID.randomUUID(), "t1", List.of(Matcher.parse("instance=h1")), T0.plusSeconds(10),
                T0.plusSeconds(3600), "ana", "rebooting h1", T0));
        Notification n = at(Duration.ofSeconds(30)).getFirst();
        assertThat(n.firing()).extracting(AlertSnapshot::fingerprint).containsExactly("b");
        silences.add(new Silence(UUID.randomUUID(), "t1", List.of(Matcher.parse("alertname=Disk")), T0.plusSeconds(10),
                T0.plusSeconds(3600), "ana", "all", T0));
        dispatcher.accept(firing("c", Severity.HIGH, labels("Disk", "h3"), T0.plusSeconds(40)), T0.plusSeconds(40));
        // "b" is now silenced too and "c" was never sent: the firing set shrank to nothing, nothing is said
        assertThat(at(Duration.ofSeconds(330))).isEmpty();
    }

    @Test
    void aCriticalAlertInhibitsWarningsOnTheSameResource() {
        config = new RoutingConfig(Alerts.route("root", "ops", List.of(), false, List.of("alertname"), List.of()),
                Map.of("ops", new Receiver("ops", List.of())),
                List.of(new InhibitRule(List.of(Matcher.parse("severity=critical")),
                        List.of(Matcher.parse("severity=~\"medium|low\"")), List.of("resource"))), Map.of());
        dispatcher.accept(firing("down", Severity.CRITICAL, labels("HostDown", "h1"), T0), T0);
        dispatcher.accept(firing("disk", Severity.MEDIUM, labels("DiskSlow", "h1"), T0), T0);
        dispatcher.accept(firing("disk2", Severity.MEDIUM, labels("DiskSlow", "h2"), T0), T0);
        List<Notification> sent = at(Duration.ofSeconds(30));
        assertThat(sent).flatExtracting(Notification::firing).extracting(AlertSnapshot::fingerprint)
                .containsExactlyInAnyOrder("down", "disk2");
    }

    @Test
    void aMaintenanceWindowMutesItsRouteAndAnActiveIntervalLimitsIt() {
        TimeInterval tenToEleven = new TimeInterval("maint", List.of(new TimeInterval.Spec(
                List.of(TimeInterval.times("10:00", "11:00")), List.of(), List.of(), List.of(), List.of(),
                ZoneOffset.UTC)));
        Route muted = new Route("root", Route.ROOT_KEY, "ops", List.of(), false, List.of(), false, Duration.ofSeconds(30),
                Duration.ofMinutes(5), Duration.ofHours(4), List.of("maint"), List.of(), List.of());
        config = new RoutingConfig(muted, Map.of("ops", new Receiver("ops", List.of())), List.of(),
                Map.of("maint", tenToEleven));
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        assertThat(at(Duration.ofSeconds(30))).isEmpty();
        // still firing when the window closes at 11:00: announced at the first flush after it
        for (Duration t = Duration.ofSeconds(330); t.compareTo(Duration.ofMinutes(60)) < 0; t = t.plusMinutes(5)) {
            assertThat(at(t)).isEmpty();
        }
        assertThat(at(Duration.ofSeconds(30).plusMinutes(60))).hasSize(1);
    }

    @Test
    void oneGroupPerRouteWithContinue() {
        config = new RoutingConfig(Alerts.route("root", "ops", List.of(), false, List.of(), List.of(
                Alerts.route("root.0", "db", List.of(Matcher.parse("alertname=Disk")), true, List.of("instance"),
                        List.of()),
                Alerts.route("root.1", "all", List.of(), false, List.of(), List.of()))),
                Map.of(), List.of(), Map.of());
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        dispatcher.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), T0), T0);
        List<Notification> sent = at(Duration.ofSeconds(30));
        assertThat(sent).extracting(Notification::receiver).containsExactlyInAnyOrder("db", "db", "all");
    }

    @Test
    void aResolveReachesTheGroupThatAnnouncedTheAlertAfterTheRouteFileMovedIt() {
        config = new RoutingConfig(Alerts.route("root", "old", List.of(), false, List.of("alertname"), List.of()),
                Map.of(), List.of(), Map.of());
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        Notification paged = at(Duration.ofSeconds(30)).getFirst();
        assertThat(paged.receiver()).isEqualTo("old");

        // a route inserted above sends the same alerts elsewhere from now on
        config = new RoutingConfig(Alerts.route("root", "old", List.of(), false, List.of("alertname"), List.of(
                Alerts.route("root.0", "new", List.of(Matcher.parse("alertname=Disk")), false, List.of("alertname"),
                        List.of()))), Map.of(), List.of(), Map.of());
        dispatcher.accept(resolved("a", Severity.HIGH, labels("Disk", "h1"), T0.plusSeconds(60)), T0.plusSeconds(60));

        List<Notification> told = at(Duration.ofSeconds(330));
        assertThat(told).singleElement().satisfies(n -> {
            assertThat(n.receiver()).isEqualTo("old");
            assertThat(n.threadKey()).isEqualTo(paged.threadKey());
            assertThat(n.status()).isEqualTo(Notification.Status.RESOLVED);
        });
        assertThat(dispatcher.groupCount()).as("its group ends: no more repeats").isZero();
        assertThat(at(Duration.ofHours(5))).isEmpty();
    }

    @Test
    void afterARestartAGroupContinuesItsThreadFromTheGroupLog() {
        Map<String, GroupLog.Entry> log = new java.util.HashMap<>();
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        dispatcher.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), T0), T0);
        Notification first = at(Duration.ofSeconds(30)).getFirst();
        log.put(first.groupKey(), first.logEntry());

        // restart: a new dispatcher, the same log
        Dispatcher restarted = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences),
                (tenant, key) -> java.util.Optional.ofNullable(log.get(key)));
        Instant later = T0.plusSeconds(600);
        restarted.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), later), later);
        restarted.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), later), later);
        assertThat(restarted.flush(later.plusSeconds(30))).as("nothing new to say").isEmpty();
        restarted.accept(resolved("a", Severity.HIGH, labels("Disk", "h1"), later.plusSeconds(40)), later.plusSeconds(40));
        Notification update = restarted.flush(later.plusSeconds(330)).getFirst();
        assertThat(update.threadKey()).isEqualTo(first.threadKey());
        assertThat(update.sequence()).isEqualTo(2);
        assertThat(update.resolved()).extracting(AlertSnapshot::fingerprint).containsExactly("a");

        // a resolve that is the first thing heard after a restart is still said
        Dispatcher again = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences),
                (tenant, key) -> java.util.Optional.ofNullable(log.get(key)));
        again.accept(resolved("b", Severity.HIGH, labels("Disk", "h2"), later), later);
        Notification done = again.flush(later.plusSeconds(30)).getFirst();
        assertThat(done.resolved()).extracting(AlertSnapshot::fingerprint).containsExactly("b");
        assertThat(done.threadKey()).isEqualTo(first.threadKey());
        assertThat(done.sequence()).isEqualTo(2);
        // only what was heard since the restart counts: "a" has not re-sent, so nothing is firing
        assertThat(done.status()).isEqualTo(Notification.Status.RESOLVED);
        // a group whose last word was "resolved" starts a new thread
        log.put(first.groupKey(), done.logEntry());
        Dispatcher fresh = new Dispatcher(t -> new Dispatcher.TenantRules(config, silences),
                (tenant, key) -> java.util.Optional.ofNullable(log.get(key)));
        fresh.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), later), later);
        assertThat(fresh.flush(later.plusSeconds(30)).getFirst().threadKey()).isNotEqualTo(first.threadKey());
    }

    private static final Consumer<Notification> STORE_DOWN = n -> {
        throw new IllegalStateException("store unreachable");
    };

    @Test
    void aNotificationTheOutboxRefusedIsSaidAgainWithTheNewestStateAndTheGroupUnchangedUntilThen() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        assertThatThrownBy(() -> dispatcher.flush(T0.plusSeconds(30), STORE_DOWN)).hasMessage("store unreachable");

        dispatcher.accept(firing("b", Severity.CRITICAL, labels("Disk", "h2"), T0.plusSeconds(31)), T0.plusSeconds(31));
        Notification first = at(Duration.ofSeconds(32)).getFirst();
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.firing()).extracting(AlertSnapshot::fingerprint).containsExactly("a", "b");

        // a resolve the outbox refuses is not forgotten either
        dispatcher.accept(resolved("a", Severity.HIGH, labels("Disk", "h1"), T0.plusSeconds(40)), T0.plusSeconds(40));
        dispatcher.accept(resolved("b", Severity.HIGH, labels("Disk", "h2"), T0.plusSeconds(40)), T0.plusSeconds(40));
        assertThatThrownBy(() -> dispatcher.flush(T0.plusSeconds(332), STORE_DOWN)).hasMessage("store unreachable");
        assertThat(dispatcher.groupCount()).as("kept until its resolve is taken").isEqualTo(1);
        Notification resolved = at(Duration.ofSeconds(333)).getFirst();
        assertThat(resolved.status()).isEqualTo(Notification.Status.RESOLVED);
        assertThat(resolved.resolved()).extracting(AlertSnapshot::fingerprint).containsExactly("a", "b");
        assertThat(resolved.sequence()).isEqualTo(2);
        assertThat(resolved.threadKey()).isEqualTo(first.threadKey());
        assertThat(dispatcher.groupCount()).isZero();
    }

    @Test
    void theFirstRefusalStopsTheFlushAndTheGroupsNotReachedStayDue() {
        dispatcher.accept(firing("a", Severity.HIGH, labels("Disk", "h1"), T0), T0);
        dispatcher.accept(firing("x", Severity.HIGH, labels("Cpu", "h1"), T0), T0);
        List<Notification> offered = new ArrayList<>();
        dispatcher.flush(T0.plusSeconds(30), offered::add);
        assertThat(offered).hasSize(2);
        offered.clear();
        dispatcher.accept(firing("b", Severity.HIGH, labels("Disk", "h2"), T0.plusSeconds(40)), T0.plusSeconds(40));
        dispatcher.accept(firing("y", Severity.HIGH, labels("Cpu", "h2"), T0.plusSeconds(40)), T0.plusSeconds(40));
        assertThatThrownBy(() -> dispatcher.flush(T0.plusSeconds(330), n -> {
            offered.add(n);
            throw new IllegalStateException("store unreachable");
        })).hasMessage("store unreachable");
        assertThat(offered).hasSize(1);
        List<Notification> retried = at(Duration.ofSeconds(331));
        assertThat(retried).extracting(Notification::sequence).containsExactly(2, 2);
        assertThat(retried).extracting(n -> n.firing().size()).containsExactly(2, 2);
        assertThat(at(Duration.ofSeconds(700))).as("each said once").isEmpty();
    }

    @Test
    void aTenantWhoseRulesCannotBeReadKeepsItsGroupsDueAndHoldsBackNoOtherTenant() {
        var broken = new java.util.concurrent.atomic.AtomicBoolean();
        Dispatcher d = new Dispatcher(t -> {
            if (t.equals("t2") && broken.get()) {
                throw new IllegalStateException("rules of t2 unreadable");
            }
            return new Dispatcher.TenantRules(config, silences);
        });
        for (String tenant : List.of("t1", "t2", "t3")) {
            d.accept(Alerts.event(tenant, "a", EventStatus.FIRING, Severity.HIGH, labels("Disk", "h1"), T0), T0);
        }
        broken.set(true);
        List<Notification> sent = new ArrayList<>();
        assertThatThrownBy(() -> d.flush(T0.plusSeconds(30), sent::add)).hasMessage("rules of t2 unreadable");
        assertThat(sent).extracting(Notification::tenantId).containsExactlyInAnyOrder("t1", "t3");

        broken.set(false);
        assertThat(d.flush(T0.plusSeconds(31))).as("t2's group stayed due").extracting(Notification::tenantId)
                .containsExactly("t2");
    }

    @Test
    void anEventWhoseRulesCannotBeReadChangesNothing() {
        Dispatcher d = new Dispatcher(t -> {
            throw new IllegalStateException("unreadable");
        });
        assertThatThrownBy(() -> d.accept(firing("a", Severity.CRITICAL, labels("Disk", "h1"), T0), T0))
                .hasMessage("unreadable");
        assertThat(d.firingAlerts("t1")).as("not a source of inhibition").isEmpty();
        assertThat(d.groupCount()).isZero();
    }
}
