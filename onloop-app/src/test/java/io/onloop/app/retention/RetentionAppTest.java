package io.onloop.app.retention;

import io.onloop.app.AppTestBase;
import io.onloop.domain.delivery.Delivery;
import io.onloop.domain.delivery.DeliveryStore;
import io.onloop.domain.event.Event;
import io.onloop.domain.event.EventStatus;
import io.onloop.domain.event.Ids;
import io.onloop.domain.event.Resource;
import io.onloop.domain.event.Severity;
import io.onloop.domain.event.SourceType;
import io.onloop.domain.incident.GroupingPolicy;
import io.onloop.domain.incident.IncidentGrouping;
import io.onloop.domain.store.Pruned;
import io.onloop.testkit.delivery.DeliveryStoreContract;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Retention in the running server: the default 90 days, the real store, seen through the API. */
class RetentionAppTest extends AppTestBase {
    @Autowired
    RetentionJob retention;
    @Autowired
    DeliveryStore deliveries;

    private final IncidentGrouping grouping = new IncidentGrouping(GroupingPolicy.FINGERPRINT_ONLY);

    private Event store(EventStatus status, String fingerprint, Instant at) {
        Event e = new Event(Ids.newId(at), TENANT, null, SourceType.ALERTMANAGER, at, at, status, Severity.HIGH, "warning",
                "retention " + fingerprint, "", Resource.of("host", fingerprint), Map.of("alertname", fingerprint),
                fingerprint, null, "{}", null);
        return eventStore.inTransaction(tx -> grouping.apply(tx, e));
    }

    @Test
    void incidentsResolvedLongerAgoThanTheRetentionGoAndTheAuditLogSaysSo() {
        String fp = "retention-" + UUID.randomUUID();
        Instant old = Instant.now().minus(Duration.ofDays(91));
        UUID gone = store(EventStatus.FIRING, fp, old).incidentId();
        store(EventStatus.RESOLVED, fp, old.plusSeconds(60));
        UUID stillOpen = store(EventStatus.FIRING, fp + "-open", old).incidentId();
        UUID recent = store(EventStatus.FIRING, fp + "-recent", old).incidentId();
        store(EventStatus.RESOLVED, fp + "-recent", Instant.now().minus(Duration.ofDays(89)));

        Delivery sent = DeliveryStoreContract.pending(TENANT, "retention-test", fp, 1, old);
        deliveries.enqueue(List.of(sent));
        deliveries.markDelivered(sent.id(), old.plusSeconds(1));

        Pruned pruned = retention.runNow();

        assertThat(pruned.incidents()).isGreaterThanOrEqualTo(1);
        assertThat(pruned.deliveries()).isGreaterThanOrEqualTo(1);
        assertThat(deliveries.findDelivery(TENANT, sent.id())).isEmpty();
        http.get("/api/v1/incidents/" + gone).bearer(ADMIN_TOKEN).send().expect(404);
        http.get("/api/v1/incidents/" + stillOpen).bearer(ADMIN_TOKEN).send().expect(200);
        http.get("/api/v1/incidents/" + recent).bearer(ADMIN_TOKEN).send().expect(200);
        JsonNode audit = http.get("/api/v1/audit?size=20").bearer(ADMIN_TOKEN).send().expect(200).json();
        assertThat(audit.get("items").valueStream().map(a -> a.get("action").asString() + " by " + a.get("actor").asString()))
                .contains("retention.prune by retention");
        String metrics = http.get("/actuator/prometheus").bearer(ADMIN_TOKEN).send().expect(200).body();
        assertThat(metrics).containsPattern("onloop_retention_deleted_incidents_total [1-9]");
        assertThat(metrics).as("the embedded H2 file's size").containsPattern("onloop_store_file_bytes [1-9]");
    }
}
