package io.onloop.app.routing;

import io.onloop.app.OutageDataSource;
import io.onloop.adapters.delivery.InvalidRoutesException;
import io.onloop.adapters.delivery.RoutesYaml;
import io.onloop.adapters.delivery.Targets;
import io.onloop.adapters.store.jdbc.JdbcStores;
import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStatus;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.routing.RecipeSummaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * onloop.routing.file: the fallback for every tenant without a saved file; a broken file stops startup. A store
 * that cannot be reached holds routing back without losing what it had taken.
 */
class RoutingServiceTest {
    @TempDir
    Path dir;
    private OutageDataSource ds;

    @AfterEach
    void close() {
        if (ds != null) {
            ds.close();
        }
    }

    private RoutingService service(Path file) {
        return service(file, RecipeSummaries.NONE);
    }

    private RoutingService service(Path file, RecipeSummaries recipes) {
        ds = new OutageDataSource(dir);
        return service(JdbcStores.migrateAndOpen(ds), file, recipes, List::of);
    }

    private static RoutingService service(JdbcStores stores, Path file, RecipeSummaries recipes,
                                          java.util.function.Supplier<List<Event>> firingAtStart) {
        return new RoutingService(stores.routingConfigStore(), stores.silenceStore(), stores.deliveryStore(),
                Targets.defaults(), stores.eventStore(), stores.groupLog(), firingAtStart, new RoutesYaml(Targets.descriptors(Targets.defaults())), recipes,
                stores.transactions(), Clock.systemUTC(),
                new RoutingProperties(file, 10, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(10), 3));
    }

    @Test
    void theFileRoutesEveryTenantUntilOneSavesItsOwn() throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), """
                route:
                  receiver: from-file
                receivers:
                  - name: from-file
                """);
        RoutingService s = service(file);
        assertThat(s.config("a").root().receiver()).isEqualTo("from-file");
        assertThat(s.yaml("a").orElseThrow().updatedBy()).isEqualTo("file");
        s.save("a", "route:\n  receiver: own\nreceivers:\n  - name: own\n", "ana");
        assertThat(s.config("a").root().receiver()).isEqualTo("own");
        assertThat(s.yaml("a").orElseThrow().updatedBy()).isEqualTo("ana");
        assertThat(s.config("b").root().receiver()).isEqualTo("from-file");
        assertThatThrownBy(() -> s.save("a", "route: {receiver: x}\n", "ana")).isInstanceOf(InvalidRoutesException.class);
        assertThat(s.config("a").root().receiver()).as("a refused file changes nothing").isEqualTo("own");
        s.close();
    }

    @Test
    void aSavedFileThatANewerCheckRefusesRoutesAsItWasSaved() {
        RoutingService s = service(null);
        var store = JdbcStores.migrateAndOpen(ds).routingConfigStore();
        String saved = "route:\n  receiver: mail\nreceivers:\n  - name: mail\n    targets:\n      - type: email\n"
                + "        settings: {host: smtp.example, port: \"70000\", from: ops@example.com, to: a@example.com}\n";
        store.saveRouting("a", new io.onloop.domain.routing.RoutingConfigStore.StoredRouting(saved, Instant.now(), "ana"));
        assertThatThrownBy(() -> s.validate(saved)).isInstanceOf(InvalidRoutesException.class);
        assertThat(s.config("a").root().receiver()).as("not nowhere").isEqualTo("mail");
        assertThat(s.target("a", "mail/email-0")).isPresent();
        s.close();
    }

    @Test
    void aBrokenFileStopsStartupAndNoFileRoutesNowhere() throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), "route:\n  receiver: missing\n");
        assertThatThrownBy(() -> service(file)).isInstanceOf(InvalidRoutesException.class)
                .hasMessageContaining("no receiver named \"missing\"");
        ds.close();
        RoutingService none = service(null);
        assertThat(none.yaml("a")).isEmpty();
        assertThat(none.config("a").receivers().get("default").targets()).isEmpty();
        assertThat(none.target("a", "default/x")).isEmpty();
        none.close();
    }

    private static Event event(String alertname, EventStatus status) {
        return event(alertname, status, null);
    }

    private static Event event(String alertname, EventStatus status, UUID incident) {
        Instant now = Instant.now();
        return new Event(UUID.randomUUID(), "t1", null, SourceType.GENERIC, now, now, status, Severity.HIGH, null,
                alertname, "", null, Map.of("alertname", alertname), alertname, null, "{}", incident);
    }

    private static final String WEBHOOK_ROUTES = """
            route:
              receiver: ops
              group_by: [alertname]
              group_wait: 0s
              group_interval: 1s
            receivers:
              - name: ops
                targets:
                  - type: webhook
                    settings: {url: "http://127.0.0.1:9/hook"}
            """;

    @Test
    void anItemIsGivenUpAfterItsOwnFailuresInARowWhateverSucceedsInBetweenAndNeverForAnOutage() {
        var failures = new RoutingService.Failures();
        var defect = new IllegalStateException("a defect");
        for (int i = 1; i < RoutingService.MAX_ATTEMPTS; i++) {
            assertThat(failures.givesUp("a", defect)).as("failure %d", i).isFalse();
            failures.succeeded("b"); // another written in between does not clear a's count
            assertThat(failures.givesUp("a", new io.onloop.domain.store.StoreUnreachableException("down")))
                    .as("not counted").isFalse();
        }
        assertThat(failures.givesUp("a", defect)).isTrue();
        assertThat(failures.givesUp("a", defect)).as("a new count after giving up").isFalse();
        failures.succeeded("a");
        assertThat(failures.givesUp("c", defect)).isFalse();
    }

    @Test
    void aNotificationThatCannotBeWrittenIsGivenUpLoudlyAndRoutingGoesOn() throws Exception {
        UUID poisoned = UUID.randomUUID();
        RoutingService s = service(Files.writeString(dir.resolve("routes.yaml"), WEBHOOK_ROUTES), (tenant, incident) -> {
            if (incident.equals(poisoned)) {
                throw new IllegalStateException("a defect in making the runbook text");
            }
            return Optional.empty();
        });
        s.firstBackoff = Duration.ofMillis(1);
        try (var log = io.onloop.testkit.LogCapture.of(RoutingService.class)) {
            java.util.function.Supplier<List<LogRecord>> severe = () -> log.records().stream()
                    .filter(r -> r.getLevel() == Level.SEVERE).toList();
            DeliveryStore outbox = JdbcStores.migrateAndOpen(ds).deliveryStore();
            s.start();
            s.committed(List.of(event("Poisoned", EventStatus.FIRING, poisoned), event("Fine", EventStatus.FIRING,
                    UUID.randomUUID())));
            await().atMost(Duration.ofSeconds(20)).until(() -> !severe.get().isEmpty());
            assertThat(severe.get().getFirst().getMessage()).contains("to receiver ops is not sent: writing it failed "
                    + RoutingService.MAX_ATTEMPTS + " times in a row (a defect in making the runbook text)");
            s.committed(List.of(event("Later", EventStatus.FIRING, UUID.randomUUID())));
            await().atMost(Duration.ofSeconds(10)).until(() -> outbox.deliveries("t1", DeliveryStatus.PENDING, 10).size() == 2);
            assertThat(outbox.deliveries("t1", DeliveryStatus.PENDING, 10)).extracting(Delivery::payload)
                    .noneMatch(p -> p.contains("Poisoned")).anyMatch(p -> p.contains("Fine")).anyMatch(p -> p.contains("Later"));
            assertThat(severe.get()).hasSize(1);
        } finally {
            s.close();
        }
    }

    @Test
    void whatRoutingTookWhileTheStoreWasUnreachableIsWrittenWhenItIsBack() throws Exception {
        RoutingService s = service(Files.writeString(dir.resolve("routes.yaml"), WEBHOOK_ROUTES));
        s.firstBackoff = Duration.ofMillis(1); // an outage of many more than MAX_ATTEMPTS failed steps: none given up
        DeliveryStore outbox = JdbcStores.migrateAndOpen(ds).deliveryStore();
        s.start();
        s.committed(List.of(event("DiskFull", EventStatus.FIRING)));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.deliveries("t1", DeliveryStatus.PENDING, 10).size() == 1);

        ds.down = true;
        s.committed(List.of(event("DiskFull", EventStatus.RESOLVED))); // its notification cannot be written
        Thread.sleep(1500);
        s.committed(List.of(event("CpuHot", EventStatus.FIRING))); // a new group reads the group log first
        Thread.sleep(1500);
        ds.down = false;

        await().atMost(Duration.ofSeconds(30)).until(() -> outbox.deliveries("t1", DeliveryStatus.PENDING, 10).size() == 3);
        List<Delivery> rows = outbox.deliveries("t1", DeliveryStatus.PENDING, 10);
        Map<String, List<String>> sequencesByThread = new TreeMap<>();
        for (Delivery d : rows) { // dedup key: thread # sequence # target
            sequencesByThread.computeIfAbsent(d.threadKey(), k -> new ArrayList<>()).add(d.dedupKey().split("#")[1]);
        }
        sequencesByThread.values().forEach(java.util.Collections::sort);
        assertThat(sequencesByThread.values()).as("DiskFull's thread goes on with its resolve; CpuHot has its own")
                .containsExactlyInAnyOrder(List.of("1", "2"), List.of("1"));
        assertThat(rows).filteredOn(d -> d.payload().contains("CpuHot")).hasSize(1);
        s.close();
    }
    @Test
    void anAlertStoredButNotYetAnnouncedWhenOnloopStoppedIsAnnouncedAfterTheRestartAndOneAnnouncedIsNotAgain()
            throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), WEBHOOK_ROUTES);
        ds = new OutageDataSource(dir);
        JdbcStores stores = JdbcStores.migrateAndOpen(ds);
        var grouping = new io.onloop.domain.incident.IncidentGrouping(io.onloop.domain.incident.GroupingPolicy.FINGERPRINT_ONLY);
        java.util.function.Supplier<List<Event>> firing = () -> stores.eventStore().firingAlerts("t1").stream()
                .map(io.onloop.domain.store.FiringAlert::event).toList();
        DeliveryStore outbox = stores.deliveryStore();

        RoutingService before = service(stores, file, RecipeSummaries.NONE, firing);
        before.start();
        Event spoke = stores.eventStore().inTransaction(tx -> grouping.apply(tx, event("Spoke", EventStatus.FIRING)));
        before.committed(List.of(spoke));
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.deliveries("t1", DeliveryStatus.PENDING, 10).size() == 1);
        // stored, but onloop stopped before routing took it
        stores.eventStore().inTransaction(tx -> grouping.apply(tx, event("Quiet", EventStatus.FIRING)));
        before.close();

        RoutingService after = service(stores, file, RecipeSummaries.NONE, firing);
        after.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> outbox.deliveries("t1", DeliveryStatus.PENDING, 10).size() == 2);
        Thread.sleep(2500); // more than two group intervals: time enough to say "Spoke" again, were it to
        List<Delivery> rows = outbox.deliveries("t1", DeliveryStatus.PENDING, 10);
        assertThat(rows).extracting(d -> d.payload().contains("Quiet")).containsExactlyInAnyOrder(true, false);
        after.close();
    }
}
